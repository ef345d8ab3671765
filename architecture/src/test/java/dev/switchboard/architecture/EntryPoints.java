package dev.switchboard.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Types that are public because something outside the code calls them by name: a {@code main}, an AWS Lambda handler,
 * a service provider named in {@code META-INF/services}.
 */
final class EntryPoints {
    private static final String SERVICES = "META-INF/services/";
    private static final Set<String> LAMBDA_HANDLERS = Set.of(
            "com.amazonaws.services.lambda.runtime.RequestHandler",
            "com.amazonaws.services.lambda.runtime.RequestStreamHandler");

    private EntryPoints() {}

    /** @param providers the classes named in service files ({@link #providers}) */
    static boolean isEntryPoint(JavaClass type, Set<String> providers) {
        return hasMain(type)
                || LAMBDA_HANDLERS.stream().anyMatch(type::isAssignableTo)
                || providers.contains(type.getName());
    }

    private static boolean hasMain(JavaClass type) {
        return type.getMethods().stream()
                .anyMatch(method -> method.getName().equals("main")
                        && method.getModifiers().containsAll(Set.of(JavaModifier.PUBLIC, JavaModifier.STATIC))
                        && method.getRawParameterTypes().size() == 1
                        && method.getRawParameterTypes().getFirst().getName().equals(String[].class.getName()));
    }

    /** Every class named in a service file of the class directories or jars ours come from. */
    static Set<String> providers(Iterable<JavaClass> ours) {
        var lines = new ArrayList<String>();
        var seen = new HashSet<String>();
        for (var type : ours) {
            var uri = type.getSource().map(source -> source.getUri()).orElse(null);
            if (uri == null) {
                continue;
            }
            try {
                if (uri.getScheme().equals("jar")) {
                    var jar = uri.getSchemeSpecificPart()
                            .substring(
                                    "file:".length(),
                                    uri.getSchemeSpecificPart().indexOf('!'));
                    if (seen.add(jar)) {
                        try (var file = new JarFile(jar)) {
                            for (var entry : Collections.list(file.entries())) {
                                if (entry.getName().startsWith(SERVICES) && !entry.isDirectory()) {
                                    try (var in = file.getInputStream(entry)) {
                                        lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                                                .lines()
                                                .toList());
                                    }
                                }
                            }
                        }
                    }
                } else {
                    var root = Path.of(uri);
                    for (var i = 0; i < type.getName().split("\\.").length; i++) {
                        root = root.getParent();
                    }
                    var services = root.resolve(SERVICES);
                    if (seen.add(root.toString()) && Files.isDirectory(services)) {
                        try (var files = Files.list(services)) {
                            for (var file : files.toList()) {
                                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the service files beside " + uri, e);
            }
        }
        var names = new HashSet<String>();
        lines.stream()
                .map(line -> line.replaceAll("#.*", "").strip())
                .filter(line -> !line.isEmpty())
                .forEach(names::add);
        return names;
    }
}
