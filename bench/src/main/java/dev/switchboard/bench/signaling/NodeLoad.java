package dev.switchboard.bench.signaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.signaling.SignalingLoad.Cpu;
import dev.switchboard.bench.signaling.SignalingLoad.Plan;
import dev.switchboard.bench.signaling.SignalingLoad.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The signaling load generator under Node.js ({@code bench/node/load.mjs}, on the {@code ws} package y-webrtc's
 * clients use): the same plan and figures as {@link SignalingLoad}, from the client stack a browser app's users
 * have, so our JDK load generator is not the only judge. The server's CPU is read when the script says its paced
 * phase starts and when it reports.
 */
public final class NodeLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Plan plan;

    public NodeLoad(Plan plan) {
        this.plan = plan;
    }

    /** Runs the plan against a server; {@code uri} gives connection {@code i}'s URL, as for {@link SignalingLoad}. */
    public Result run(String target, IntFunction<URI> uri, Supplier<Duration> serverCpu) {
        try {
            var file = Files.createTempFile("switchboard-load-", ".json");
            try {
                var description = new LinkedHashMap<String, Object>();
                description.put(
                        "urls",
                        IntStream.range(0, plan.connections())
                                .mapToObj(i -> uri.apply(i).toString())
                                .toList());
                description.put("rooms", plan.rooms());
                description.put("peers", plan.peers());
                description.put("messages", plan.messages());
                description.put("rate", plan.rate());
                description.put("payloadBytes", plan.payloadBytes());
                JSON.writeValue(file.toFile(), description);
                return run(target, file.toString(), serverCpu);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result run(String target, String planFile, Supplier<Duration> serverCpu) throws IOException {
        var script = YWebrtcServer.nodeDirectory().resolve("load.mjs").toString();
        var process = new ProcessBuilder("node", script, planFile)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        var errors = new ArrayList<String>();
        var stderr = Thread.ofVirtual().start(() -> readLines(process.errorReader(), errors));
        Duration publishing = null;
        Duration done = null;
        String result = null;
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("publishing")) {
                    publishing = serverCpu.get();
                } else if (line.startsWith("result ")) {
                    done = serverCpu.get();
                    result = line.substring("result ".length());
                }
            }
        } finally {
            try {
                process.waitFor();
                stderr.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (result == null || publishing == null) {
            throw new IllegalStateException(
                    "load.mjs failed (exit " + process.exitValue() + "): " + String.join(" / ", errors));
        }
        var figures = JSON.readTree(result);
        var deliveries = plan.deliveries() - figures.get("lost").asLong();
        return new Result(
                target,
                plan,
                figures.get("connectsPerSecond").asDouble(),
                figures.get("subscribesPerSecond").asDouble(),
                figures.get("deliveriesPerSecond").asDouble(),
                figures.get("p50Millis").asDouble(),
                figures.get("p99Millis").asDouble(),
                figures.get("lost").asLong(),
                figures.get("duplicates").asLong(),
                new Cpu(Double.NaN, Double.NaN, done.minus(publishing).toNanos() / 1e3 / Math.max(1, deliveries)));
    }

    private static void readLines(BufferedReader reader, List<String> lines) {
        try (reader) {
            reader.lines().forEach(lines::add);
        } catch (IOException e) {
            lines.add(e.toString());
        }
    }
}
