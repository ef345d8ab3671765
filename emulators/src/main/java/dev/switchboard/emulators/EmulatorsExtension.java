package dev.switchboard.emulators;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts the {@link Emulators} once per test JVM, on free loopback ports, and stops them
 * when the run ends. Test constructors and methods may take {@link Emulators} and {@link TestNames}; each test
 * isolates itself with names from {@link TestNames#unique(String)}.
 */
public final class EmulatorsExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        var type = parameter.getParameter().getType();
        return type == Emulators.class || type == TestNames.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == TestNames.class) {
            return new TestNames();
        }
        return emulators(context);
    }

    /** The emulators of this test JVM, started on first use. */
    public static Emulators emulators(ExtensionContext context) {
        // The root store closes AutoCloseable values when the whole run ends.
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.create(EmulatorsExtension.class))
                .getOrComputeIfAbsent(
                        Emulators.class, type -> Emulators.start(EmulatorSettings.ephemeral()), Emulators.class);
    }
}
