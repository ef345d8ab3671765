package dev.switchboard.emulators;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.zip.ZipInputStream;

/**
 * dynalite's files — its launcher, its npm packages as the build installed them from the lock file — ship in this
 * jar as one zip ({@code dynalite.zip}, with its SHA-256 beside it). They are unpacked once per version into a
 * cache directory named by that hash, atomically (a directory is renamed into place whole), so concurrent JVMs
 * never see half of it, and a changed lock file gets a directory of its own.
 */
final class DynaliteFiles {
    private static final String ZIP = "dynalite.zip";
    private static final String LAUNCHER = "server.js";

    private DynaliteFiles() {}

    /**
     * The directory holding {@value #LAUNCHER} and its {@code node_modules}, unpacked if it is not yet.
     *
     * @throws EmulatorException when the jar lacks the files (a build without npm) or they cannot be unpacked
     */
    static Path directory(Map<String, String> environment) {
        var hash = hash();
        var root = cacheRoot(environment);
        var target = root.resolve("dynalite-" + hash.substring(0, 16));
        if (Files.isRegularFile(target.resolve(LAUNCHER))) {
            return target;
        }
        try {
            Files.createDirectories(root);
            var staging = Files.createTempDirectory(root, "dynalite-unpacking-");
            unzip(staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(staging);
                if (!Files.isRegularFile(target.resolve(LAUNCHER))) {
                    throw e;
                }
                // another JVM unpacked the same files first
            }
            return target;
        } catch (IOException | UncheckedIOException e) {
            throw new EmulatorException("unpacking dynalite into " + target, e);
        }
    }

    /** {@code $XDG_CACHE_HOME/switchboard}, else {@code ~/.cache/switchboard}: kept across runs, never auto-cleaned. */
    static Path cacheRoot(Map<String, String> environment) {
        var xdg = environment.get("XDG_CACHE_HOME");
        var base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("switchboard");
    }

    private static String hash() {
        try (var in = resource(ZIP + ".sha256")) {
            // Ant's checksum file: the hex digest, possibly followed by a file name.
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .trim()
                    .split("\\s+")[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void unzip(Path into) throws IOException {
        try (var zip = new ZipInputStream(resource(ZIP))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                var path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("zip entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(zip, path);
                }
            }
        }
    }

    private static InputStream resource(String name) {
        var in = DynaliteFiles.class.getResourceAsStream(name);
        if (in == null) {
            throw new EmulatorException(name + " is missing from the emulators' jar: the build installs dynalite"
                    + " with npm (emulators/pom.xml); build with npm on PATH");
        }
        return in;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
