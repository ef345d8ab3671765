package dev.switchboard.bench.local;

import dev.switchboard.bench.TextListener;
import dev.switchboard.bench.signaling.YWebrtcServer;
import dev.switchboard.emulators.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the local stack takes from launching its process, as {@code bin/local} does (same JVM flags, every port
 * free-picked), to answering a client: the WebSocket opened with the dev token and a ping's pong received. The
 * reference is y-webrtc's server from launch to answering HTTP. Each is started {@code runs} times; the median
 * counts (the first run also warms the OS's file cache).
 */
public final class LocalStackBenchmark {
    /** The median and the stack's own breakdown of its last start. */
    public record Result(int runs, double stackSeconds, double referenceSeconds, String breakdown) {}

    private static final String MAIN = "dev.switchboard.local.LocalStack";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern WS_URL = Pattern.compile("^\\s+WS_URL=(\\S+)");
    private static final Pattern READY = Pattern.compile("local stack ready (.*)");

    private LocalStackBenchmark() {}

    public static Result run(int runs) throws InterruptedException {
        var stack = new double[runs];
        var reference = new double[runs];
        var breakdown = "";
        for (var r = 0; r < runs; r++) {
            var start = System.nanoTime();
            try (var server = YWebrtcServer.start()) {
                reference[r] = (System.nanoTime() - start) / 1e9;
            }
            var started = startStack();
            stack[r] = started.seconds();
            breakdown = started.breakdown();
        }
        return new Result(runs, median(stack), median(reference), breakdown);
    }

    private record Started(double seconds, String breakdown) {}

    private static Started startStack() throws InterruptedException {
        Path output;
        try {
            output = Files.createTempFile("switchboard-local-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var env = new HashMap<String, String>();
        for (var port : List.of(
                "DYNAMODB_PORT",
                "SQS_PORT",
                "SNS_PORT",
                "ISSUER_PORT",
                "SERVER_PORT",
                "MANAGEMENT_PORT",
                "PUSHER_PORT")) {
            env.put(port, "0");
        }
        env.put(
                "LOCAL_ENV_FILE",
                output.resolveSibling(output.getFileName() + ".env").toString());
        var start = System.nanoTime();
        // bin/local's flags; the stack's module first: other modules on this class path have an application.yaml.
        var stack = ServiceProcess.launch(
                MAIN,
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                List.of(stackLocation()),
                env,
                output,
                WS_URL);
        try (var http = HttpClient.newHttpClient()) {
            var pong = new CompletableFuture<String>();
            var socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(stack.started().group(1)), new TextListener() {
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
            // Logged before the variables are printed, so already there.
            var breakdown = stack.output().stream()
                    .map(READY::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .findFirst()
                    .orElse("(no breakdown logged)");
            return new Started(seconds, breakdown);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the local stack did not answer a ping: " + stack.output(), e);
        } finally {
            stack.kill();
        }
    }

    private static String stackLocation() {
        try {
            return Path.of(Class.forName(MAIN)
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the local stack is not on the class path", e);
        }
    }

    private static double median(double[] values) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
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
