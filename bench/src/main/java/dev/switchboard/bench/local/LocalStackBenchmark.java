package dev.switchboard.bench.local;

import dev.switchboard.bench.Measure;
import dev.switchboard.bench.TextListener;
import dev.switchboard.bench.signaling.YWebrtcServer;
import dev.switchboard.emulators.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long the local stack takes from running {@code bin/local} (on a warm build: no Maven runs; every port
 * free-picked) to answering a client: the WebSocket opened with the dev token and a ping's pong received. The
 * reference is y-webrtc's server from launch to answering HTTP. One start first warms the OS's file cache and, on
 * JDK 25+, lets {@code bin/local} record its start-up cache (stopped with SIGTERM, so the JVM writes it); then each is
 * started {@code runs} times and the median counts.
 */
public final class LocalStackBenchmark {
    /** The median and the stack's own breakdown of its last start. */
    public record Result(int runs, double stackSeconds, double referenceSeconds, String breakdown) {}

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(120);

    private LocalStackBenchmark() {}

    /**
     * @param aot whether {@code bin/local} may use (and first record) its JDK 25 start-up cache; smoke runs leave it
     *     off, since recording it costs a stop of ten seconds or more
     */
    public static Result run(int runs, boolean aot) throws InterruptedException {
        var stack = new double[runs];
        var reference = new double[runs];
        var breakdown = "";
        startStack(aot, true); // warm-up, not counted
        for (var r = 0; r < runs; r++) {
            Measure.awaitQuietMachine(Duration.ofSeconds(60));
            var start = System.nanoTime();
            try (var server = YWebrtcServer.start()) {
                reference[r] = (System.nanoTime() - start) / 1e9;
            }
            var started = startStack(aot, false);
            stack[r] = started.seconds();
            breakdown = started.breakdown();
        }
        return new Result(runs, Measure.median(stack), Measure.median(reference), breakdown);
    }

    private record Started(double seconds, String breakdown) {}

    private static Started startStack(boolean aot, boolean warmUp) throws InterruptedException {
        Measure.awaitQuietMachine(Duration.ofSeconds(60));
        Path output;
        try {
            output = Files.createTempFile("switchboard-local-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var env = new HashMap<String, String>();
        for (var port : dev.switchboard.local.LocalStack.PORT_VARIABLES) {
            env.put(port, "0");
        }
        env.put(
                "LOCAL_ENV_FILE",
                output.resolveSibling(output.getFileName() + ".env").toString());
        env.put("SWITCHBOARD_AOT", aot ? "1" : "0");
        var start = System.nanoTime();
        var stack = ServiceProcess.launchCommand(List.of(binLocal().toString()), env, output);
        try (var http = HttpClient.newHttpClient()) {
            var pong = new CompletableFuture<String>();
            var socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(stack.ready("WS_URL")), new TextListener() {
                        @Override
                        protected void receive(String frame) {
                            pong.complete(frame);
                        }
                    })
                    .join();
            socket.sendText("{\"action\":\"ping\"}", true).join();
            var answer = pong.get(START.toSeconds(), TimeUnit.SECONDS);
            var seconds = (System.nanoTime() - start) / 1e9;
            if (!answer.contains("pong")) {
                throw new IllegalStateException("the local stack answered a ping with " + answer);
            }
            socket.abort();
            var breakdown = "emulatorsMs=" + stack.ready("emulatorsMs") + ", resourcesMs=" + stack.ready("resourcesMs")
                    + ", gatewayMs=" + stack.ready("gatewayMs") + ", pusherMs=" + stack.ready("pusherMs");
            return new Started(seconds, breakdown);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the local stack did not answer a ping: " + stack.output(), e);
        } finally {
            if (warmUp) {
                // A graceful stop: on JDK 25+ the JVM then writes the start-up cache that bin/local recorded.
                if (!stack.stop(STOP)) {
                    stack.kill();
                }
            } else {
                stack.kill();
            }
        }
    }

    /** {@code bin/local} of this checkout. */
    private static Path binLocal() {
        return Measure.inCheckout("bin/local", "run the benchmarks in a checkout");
    }

    public static String table(Result result) {
        return String.join(
                System.lineSeparator(),
                String.format(
                        Locale.ROOT,
                        "%-22s %10s %14s %8s %s",
                        "start (median of " + result.runs() + ")",
                        "ours s",
                        "reference s",
                        "ratio",
                        "(target: ours <= 3 s)"),
                String.format(
                        Locale.ROOT,
                        "%-22s %10.2f %14.2f %8.2f %s",
                        "local stack / y-webrtc",
                        result.stackSeconds(),
                        result.referenceSeconds(),
                        result.stackSeconds() / result.referenceSeconds(),
                        result.stackSeconds() <= 3 ? "met" : "missed"),
                "  the stack's last start: " + result.breakdown());
    }
}
