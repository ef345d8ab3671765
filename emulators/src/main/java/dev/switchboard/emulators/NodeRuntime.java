package dev.switchboard.emulators;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the Node.js executable that runs dynalite: {@value #OVERRIDE} when set, else {@code node} on {@code PATH}.
 * The Node version is checked by dynalite's launcher itself (it needs 20 or newer), so finding costs no process.
 */
final class NodeRuntime {
    /** The environment variable naming a Node.js executable to use instead of the one on {@code PATH}. */
    static final String OVERRIDE = "SWITCHBOARD_NODE";

    private NodeRuntime() {}

    /**
     * The Node.js executable for {@code environment}.
     *
     * @throws EmulatorException naming what is missing and how to provide it
     */
    static Path find(Map<String, String> environment) {
        var override = environment.get(OVERRIDE);
        if (override != null && !override.isBlank()) {
            var path = Path.of(override);
            if (!Files.isExecutable(path)) {
                throw new EmulatorException(OVERRIDE + "=" + override + " is not an executable file; point it at a"
                        + " Node.js 20+ executable (or unset it to use the node on PATH)");
            }
            return path;
        }
        var searched = environment.getOrDefault("PATH", "");
        for (var dir : searched.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                var candidate = Path.of(dir, "node");
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        throw new EmulatorException("the DynamoDB emulator (dynalite) needs Node.js 20 or newer, and there is no node"
                + " on PATH (" + searched + "): install it (for example: apt-get install nodejs), or set " + OVERRIDE
                + " to a node executable");
    }
}
