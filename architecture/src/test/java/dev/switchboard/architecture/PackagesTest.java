package dev.switchboard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of packages inside every module, over the main classes of all of them at once — so that a use from
 * another module counts: packages form no cycle, and a type is public only when another package needs it
 * (docs/architecture.md, "How the code is written").
 */
class PackagesTest {
    /** Our modules' code; the emulators (test infrastructure), benchmarks and examples are users, not checked. */
    private static final JavaClasses OURS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.switchboard");

    private static boolean checked(JavaClass type) {
        var name = type.getPackageName();
        return !name.startsWith("dev.switchboard.emulators")
                && !name.startsWith("dev.switchboard.bench")
                && !name.startsWith("dev.switchboard.examples")
                && !name.startsWith("dev.switchboard.architecture");
    }

    @Test
    void packagesFormNoCycle() {
        PackageRules.noCycles("dev.switchboard")
                .check(OURS.that(DescribedPredicate.describe("ours", PackagesTest::checked)));
    }

    @Test
    void aTypeIsPublicOnlyWhenAnotherPackageNeedsIt() {
        assertThat(PackageRules.needlesslyPublic(OURS, PackagesTest::checked))
                .as("public, but used by no other package: make them package-private")
                .isEmpty();
    }
}
