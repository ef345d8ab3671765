package dev.switchboard.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The package rules themselves, on fixture packages that break them: each rule finds what it should, and only that. */
class PackageRulesTest {
    private static final String FIXTURE = "dev.switchboard.architecture.fixture";
    private static final com.tngtech.archunit.core.domain.JavaClasses CLASSES =
            new ClassFileImporter().importPackages(FIXTURE);

    @Test
    void twoPackagesThatDependOnEachOtherAreACycle() {
        assertThatThrownBy(() -> PackageRules.noCycles(FIXTURE).check(CLASSES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected: Slice a -> ")
                .hasMessageContaining("Slice b -> ");
    }

    @Test
    void aPublicTypeNoOtherPackageUsesIsFoundAndOnlyIt() {
        assertThat(PackageRules.needlesslyPublic(
                        CLASSES, type -> !type.getSimpleName().endsWith("Test")))
                .containsExactly(FIXTURE + ".c.Lonely");
    }
}
