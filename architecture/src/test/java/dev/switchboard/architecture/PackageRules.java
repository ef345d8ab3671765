package dev.switchboard.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** The rules of packages: no cycle, and a type public only when another package needs it. */
final class PackageRules {
    private PackageRules() {}

    /** No two packages under {@code root} depend on each other, directly or through others (the root package included). */
    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(**)")
                .should()
                .beFreeOfCycles()
                .because("a package depends on another, or is depended on by it, never both (docs/architecture.md)");
    }

    /**
     * The types among {@code classes} that {@code checked} accepts which are public although no other package uses
     * them: not an entry point (a main, a Lambda handler, a service provider), not used from another package, and not
     * shown by the public members, supertypes or sealed cases of a type that is.
     */
    static Set<String> needlesslyPublic(JavaClasses classes, Predicate<JavaClass> checked) {
        var providers = EntryPoints.providers(classes);
        var exported = new HashSet<JavaClass>();
        for (var type : classes) {
            if (checked.test(type)
                    && isPublic(type)
                    && (EntryPoints.isEntryPoint(type, providers) || usedFromAnotherPackage(type))) {
                exported.add(type);
            }
        }
        // What an exported type shows in its public members and supertypes must be public too.
        var added = true;
        while (added) {
            added = false;
            for (var type : List.copyOf(exported)) {
                for (var shown : shownBy(classes, type)) {
                    if (checked.test(shown) && isPublic(shown) && exported.add(shown)) {
                        added = true;
                    }
                }
            }
        }
        var needless = new TreeSet<String>();
        for (var type : classes) {
            if (checked.test(type)
                    && isPublic(type)
                    && !exported.contains(type)
                    && !type.getSimpleName().equals("package-info")) {
                needless.add(type.getName());
            }
        }
        return needless;
    }

    /** Public, and so is every type it is nested in (a record in a private interface is public, but not reachable). */
    private static boolean isPublic(JavaClass type) {
        return type.getModifiers().contains(JavaModifier.PUBLIC)
                && !type.isAnonymousClass()
                && type.getEnclosingClass().map(PackageRules::isPublic).orElse(true);
    }

    private static boolean usedFromAnotherPackage(JavaClass type) {
        return type.getDirectDependenciesToSelf().stream()
                .map(dependency -> dependency.getOriginClass())
                .anyMatch(origin -> !origin.getPackageName().equals(type.getPackageName()));
    }

    /** The types a type's public and protected members and its supertypes name. */
    private static Set<JavaClass> shownBy(JavaClasses classes, JavaClass type) {
        var shown = new HashSet<JavaClass>();
        var members = new ArrayList<com.tngtech.archunit.core.domain.JavaMember>();
        members.addAll(type.getMethods());
        members.addAll(type.getConstructors());
        members.addAll(type.getFields());
        for (var member : members) {
            var modifiers = member.getModifiers();
            if (!modifiers.contains(JavaModifier.PUBLIC)
                    && !modifiers.contains(JavaModifier.PROTECTED)
                    && !type.isInterface()) {
                continue;
            }
            switch (member) {
                case com.tngtech.archunit.core.domain.JavaMethod method -> {
                    shown.addAll(method.getReturnType().getAllInvolvedRawTypes());
                    method.getParameterTypes().forEach(p -> shown.addAll(p.getAllInvolvedRawTypes()));
                }
                case com.tngtech.archunit.core.domain.JavaConstructor constructor ->
                    constructor.getParameterTypes().forEach(p -> shown.addAll(p.getAllInvolvedRawTypes()));
                case com.tngtech.archunit.core.domain.JavaField field ->
                    shown.addAll(field.getType().getAllInvolvedRawTypes());
                default -> {}
            }
        }
        type.getRawSuperclass().ifPresent(shown::add);
        shown.addAll(type.getRawInterfaces());
        // A sealed type's cases: a caller switching over it names them.
        var permitted = type.reflect().getPermittedSubclasses();
        if (permitted != null) {
            for (var subclass : permitted) {
                if (classes.contain(subclass.getName())) {
                    shown.add(classes.get(subclass.getName()));
                }
            }
        }
        return shown;
    }
}
