package dev.switchboard.service;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How a service tells whoever launched it that it is ready, without anyone parsing its log: when its setting
 * {@code ready.file} ({@value #VARIABLE}) names a file, the service writes what a launcher needs there (its bound
 * ports, its node id) as a properties file once it takes traffic — written aside and moved into place, so a reader
 * never sees half of it. Tests, benchmarks and scripts read that; the log line saying the same is for people.
 */
public final class Readiness {
    /** The environment variable that sets {@code ready.file}: what a launcher sets. */
    public static final String VARIABLE = "READY_FILE";

    private Readiness() {}

    /** Writes {@code facts} to {@code file}, if there is one. */
    public static void announce(Optional<Path> file, Map<String, String> facts) {
        file.ifPresent(path -> write(path, facts));
    }

    /** Writes {@code facts} to {@code file}, atomically. */
    static void write(Path file, Map<String, String> facts) {
        var properties = new Properties();
        properties.putAll(facts);
        try {
            var text = new StringWriter();
            properties.store(text, "ready");
            var aside = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(aside, text.toString(), StandardCharsets.UTF_8);
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ready file " + file, e);
        }
    }
}
