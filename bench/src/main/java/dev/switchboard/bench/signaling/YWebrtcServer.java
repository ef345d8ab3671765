package dev.switchboard.bench.signaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The reference: y-webrtc's own signaling server ({@code bin/server.js}, npm y-webrtc) under Node, on a free port. */
public final class YWebrtcServer implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(20);

    private final Process process;
    private final int port;

    private YWebrtcServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server from {@code bench/node} (installed by bin/bench and bin/test with npm ci). */
    public static YWebrtcServer start() {
        var server = serverScript();
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            var builder = new ProcessBuilder("node", server.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("PORT", String.valueOf(port));
            var running = new YWebrtcServer(builder.start(), port);
            running.awaitReady();
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + server + " (is Node.js installed?)", e);
        }
    }

    private static Path serverScript() {
        return nodeDirectory().resolve(Path.of("node_modules", "y-webrtc", "bin", "server.js"));
    }

    /**
     * {@code bench/node}, with its npm packages installed (from the repository's root, as bin/bench and bin/test
     * run, or from {@code bench}, as Maven runs the module's tests).
     */
    static Path nodeDirectory() {
        for (var directory : List.of("bench/node", "node")) {
            if (Files.exists(Path.of(directory, "node_modules", "y-webrtc", "bin", "server.js"))) {
                return Path.of(directory).toAbsolutePath();
            }
        }
        throw new IllegalStateException(
                "y-webrtc's server is not installed: run `npm ci` in bench/node (bin/bench and bin/test do)");
    }

    private void awaitReady() {
        var deadline = System.nanoTime() + START.toNanos();
        // HTTP/1.1: the JDK's h2c upgrade header would reach the server's WebSocket upgrade handler instead.
        try (var http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("y-webrtc's server exited with " + process.exitValue());
                }
                try {
                    var response = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(50); // polling readiness with a deadline
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new IllegalStateException("y-webrtc's server did not answer within " + START);
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** The CPU time the server has used so far. */
    public Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
