package dev.switchboard.bench.idle;

import dev.switchboard.bench.Measure;
import dev.switchboard.bench.TextListener;
import dev.switchboard.bench.signaling.GatewayCluster;
import dev.switchboard.bench.signaling.YWebrtcServer;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.EmulatorSettings;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.ServiceProcess;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Idle connections: opens {@code connections} real WebSocket clients to a server and leaves them idle, then reports
 * the server process's resident memory (RSS) growth per connection and, separately, the kernel's TCP buffer memory
 * per connection (both ends are on this machine, so it counts both sockets). The reference is y-webrtc's server
 * holding the same number of (unauthenticated) connections in the same run; ours is one gateway node, each
 * connection authenticated with an RS256 token and registered in the emulators' DynamoDB (dynalite). Connections alternate between
 * several loopback addresses, so ephemeral ports do not run short.
 */
public final class IdleBenchmark {
    /**
     * One run: {@code connections} held idle for {@code settle} before measuring, after waiting up to {@code quiet}
     * for the server to be quiet (a JVM compiles its startup paths for seconds).
     */
    public record Plan(int connections, Duration settle, Duration quiet) {}

    /**
     * {@code heapKbPerConnection}: live Java heap after a full GC (NaN for a server that is not a JVM). {@code
     * drainSeconds}: SIGTERM → the process gone, with every connection open (NaN: not drained); {@code leftAfterDrain}:
     * connection records of the node still in the registry after it.
     */
    public record Result(
            String target,
            int connections,
            double connectsPerSecond,
            double rssKbPerConnection,
            double kernelKbPerConnection,
            double heapKbPerConnection,
            double drainSeconds,
            int leftAfterDrain) {}

    /** How long the server takes to drain, and what it left; run while every connection is open. */
    private interface Drain {
        Result measure(Result idle);
    }

    /**
     * As many as this machine allows: the open-file limit here is 20,000 per process (hard, and no capability to
     * raise it), and the load generator holds one descriptor per connection too.
     */
    public static final Plan FULL = new Plan(
            Integer.getInteger("bench.idle.connections", 15_000), Duration.ofSeconds(5), Duration.ofSeconds(30));

    public static final Plan SMOKE = new Plan(50, Duration.ofMillis(200), Duration.ofSeconds(1));

    private static final int IN_FLIGHT_CONNECTS = 64;
    private static final int LOOPBACK_ADDRESSES = 4;
    private static final int USERS = 1_000;
    private static final Set<String> SOCKET_SLABS = Set.of("TCP", "TCPv6", "sock_inode_cache");

    private IdleBenchmark() {}

    public static List<Result> run(Plan plan) throws InterruptedException {
        var results = new ArrayList<Result>();
        try (var reference = YWebrtcServer.start()) {
            var port = reference.uri().getPort();
            results.add(measure(
                    "y-webrtc server.js", plan, reference.pid(), reference::cpu, i -> uri(i, port, ""), r -> r));
        }
        try (var emulators = Emulators.start(EmulatorSettings.ephemeral());
                var cluster = new GatewayCluster(emulators, 1, USERS, Map.of("SERVER_HOST", "0.0.0.0"))) {
            var node = cluster.nodes().getFirst();
            var tokens = cluster.uri(0); // the first connection's URL: its port and path are every connection's
            results.add(measure(
                    "gateway, 1 node",
                    plan,
                    node.process().pid(),
                    cluster::cpu,
                    i -> uri(
                            i,
                            tokens.getPort(),
                            cluster.uri(i).getRawPath() + "?" + cluster.uri(i).getRawQuery()),
                    idle -> drained(idle, cluster, node)));
        }
        return results;
    }

    /**
     * SIGTERM to the node while all its connections are open: the time until its process is gone, and how many of
     * its connection records it left in the registry (its drain closes all at once and deregisters them together).
     */
    private static Result drained(Result idle, GatewayCluster cluster, ServiceProcess node) {
        var registry = new ConnectionRegistry(
                cluster.emulators().dynamoDbClient(), RegistrySettings.of(cluster.table()), Clock.systemUTC());
        var nodeId = cluster.table() + "-node-0";
        // A handshake is answered before its registration is written: the drain is measured on a settled registry.
        var waited = System.nanoTime();
        Await.until(
                "every connection registered",
                Duration.ofMinutes(10),
                () -> registry.connections().connectionsOfNode(nodeId).size(),
                registered -> registered >= idle.connections());
        System.err.printf(
                Locale.ROOT,
                "idle: every connection registered %.1f s after the last handshake%n",
                (System.nanoTime() - waited) / 1e9);
        var start = System.nanoTime();
        var exited = node.stop(Duration.ofSeconds(120));
        var seconds = exited ? (System.nanoTime() - start) / 1e9 : Double.NaN;
        var left = registry.connections().connectionsOfNode(nodeId).size();
        return new Result(
                idle.target(),
                idle.connections(),
                idle.connectsPerSecond(),
                idle.rssKbPerConnection(),
                idle.kernelKbPerConnection(),
                idle.heapKbPerConnection(),
                seconds,
                left);
    }

    private static URI uri(int i, int port, String pathAndQuery) {
        return URI.create("ws://127.0.0." + (1 + i % LOOPBACK_ADDRESSES) + ":" + port + pathAndQuery);
    }

    private static Result measure(
            String target, Plan plan, long pid, Supplier<Duration> cpu, IntFunction<URI> uri, Drain drain)
            throws InterruptedException {
        var clients = Measure.webSocketClients(Duration.ofSeconds(30));
        var sockets = new ArrayList<CompletableFuture<WebSocket>>();
        var pongs = new AtomicInteger();
        try {
            Measure.awaitQuiet(cpu, plan.quiet());
            var heapBefore = liveHeapKb(pid);
            var rssBefore = rssKb(pid);
            var histogram = Boolean.getBoolean("bench.nmt") ? histogram(pid) : Map.<String, Long>of();
            if (Boolean.getBoolean("bench.nmt")) {
                jcmd(pid, "VM.native_memory", "baseline");
            }
            var kernelBefore = kernelTcpKb();
            var permits = new Semaphore(IN_FLIGHT_CONNECTS);
            var start = System.nanoTime();
            for (var i = 0; i < plan.connections(); i++) {
                permits.acquire();
                sockets.add(clients.get(i % clients.size())
                        .newWebSocketBuilder()
                        .buildAsync(uri.apply(i), new Idle(pongs))
                        .whenComplete((socket, error) -> permits.release()));
            }
            CompletableFuture.allOf(sockets.toArray(CompletableFuture[]::new)).join();
            var connects = plan.connections() / ((System.nanoTime() - start) / 1e9);
            // One ping round: what a connection keeps of its handshake until its first frame is not what it holds.
            for (var socket : sockets) {
                socket.join().sendText("{\"type\":\"ping\"}", true);
            }
            Await.until("a pong on every connection", Duration.ofMinutes(2), pongs::get, n -> n >= plan.connections());
            Thread.sleep(plan.settle().toMillis()); // idle on purpose: what an idle connection holds is measured
            // A full GC first (as before connecting): the connects' garbage is not what an idle connection holds.
            var heap = (liveHeapKb(pid) - heapBefore) / plan.connections();
            var rss = (rssKb(pid) - rssBefore) / (double) plan.connections();
            if (Boolean.getBoolean("bench.nmt")) {
                // Where a JVM's growth went, by Native Memory Tracking category (the gateway runs with it on).
                jcmd(pid, "VM.native_memory", "summary.diff").ifPresent(System.err::println);
                var after = histogram(pid);
                after.entrySet().stream()
                        .map(e -> Map.entry(e.getKey(), e.getValue() - histogram.getOrDefault(e.getKey(), 0L)))
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(20)
                        .forEach(e -> System.err.printf(
                                Locale.ROOT,
                                "heap growth %8.1f B/conn %s%n",
                                e.getValue() / (double) plan.connections(),
                                e.getKey()));
            }
            var kernel = (kernelTcpKb() - kernelBefore) / (double) plan.connections();
            return drain.measure(new Result(target, plan.connections(), connects, rss, kernel, heap, Double.NaN, 0));
        } finally {
            sockets.forEach(s -> s.thenAccept(WebSocket::abort));
            clients.forEach(HttpClient::shutdownNow);
        }
    }

    /** The process's resident set, from {@code /proc/<pid>/status}. */
    public static long rssKb(long pid) {
        return procField(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /**
     * A JVM's live heap: the bytes of every live object, from {@code GC.class_histogram} (which runs a full GC first);
     * NaN when the process is not a JVM. The histogram's total, not {@code GC.heap_info}: that prints one "used" per
     * generation, and under the serial collector the first one is the (empty) young generation.
     */
    public static double liveHeapKb(long pid) {
        var total = jcmd(pid, "GC.class_histogram").map(Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)")::matcher);
        return total.isPresent() && total.get().find()
                ? Long.parseLong(total.get().group(1)) / 1024.0
                : Double.NaN;
    }

    /** Bytes of live objects by class ({@code GC.class_histogram}, which runs a full GC first). */
    private static Map<String, Long> histogram(long pid) {
        var bytes = new HashMap<String, Long>();
        jcmd(pid, "GC.class_histogram").ifPresent(text -> text.lines().forEach(line -> {
            var fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].endsWith(":")) {
                bytes.put(fields[3], Long.parseLong(fields[2]));
            }
        }));
        return bytes;
    }

    /** {@code jcmd <pid> <command>}'s output; empty when it fails (the process is not a JVM). */
    static Optional<String> jcmd(long pid, String... command) {
        var line = new ArrayList<String>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(pid));
        line.addAll(List.of(command));
        try {
            var process = new ProcessBuilder(line).redirectErrorStream(true).start();
            var text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The kernel's memory for TCP sockets, in KB: buffered data ({@code /proc/net/sockstat}'s {@code mem}, in pages)
     * and the socket objects themselves ({@code TCP}, {@code TCPv6} and {@code sock_inode_cache} slabs of
     * {@code /proc/slabinfo}). System-wide: both ends of a loopback connection count.
     */
    static long kernelTcpKb() {
        try {
            var bytes = 0L;
            for (var line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                var fields = line.split("\\s+");
                for (var f = 1; f < fields.length - 1; f++) {
                    if (fields[0].equals("TCP:") && fields[f].equals("mem")) {
                        bytes += Long.parseLong(fields[f + 1]) * 4096;
                    }
                }
            }
            var slabs = Path.of("/proc/slabinfo");
            if (Files.isReadable(slabs)) {
                for (var line : Files.readAllLines(slabs)) {
                    var fields = line.split("\\s+");
                    if (fields.length > 3 && SOCKET_SLABS.contains(fields[0])) {
                        bytes += Long.parseLong(fields[1]) * Long.parseLong(fields[3]); // active objects × size
                    }
                }
            }
            return bytes / 1024;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long procField(Path file, String field) {
        try {
            for (var line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException(field + " not in " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String table(List<Result> results) {
        var lines = new ArrayList<String>();
        lines.add(String.format(
                Locale.ROOT,
                "%-20s %12s %11s %13s %16s %14s %10s %6s",
                "idle connections",
                "connections",
                "connects/s",
                "RSS KB/conn",
                "live heap KB/conn",
                "kernel KB/conn",
                "drain s",
                "left"));
        for (var r : results) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-20s %12d %11.0f %13.2f %16.2f %14.2f %10.2f %6d",
                    r.target(),
                    r.connections(),
                    r.connectsPerSecond(),
                    r.rssKbPerConnection(),
                    r.heapKbPerConnection(),
                    r.kernelKbPerConnection(),
                    r.drainSeconds(),
                    r.leftAfterDrain()));
        }
        var reference = results.getFirst();
        for (var r : results.subList(1, results.size())) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-20s %12s %11.2f %13.2f   (RSS target <= 15 KB: %s)",
                    r.target() + " / ref",
                    "",
                    r.connectsPerSecond() / reference.connectsPerSecond(),
                    r.rssKbPerConnection() / reference.rssKbPerConnection(),
                    r.rssKbPerConnection() <= 15 ? "met" : "missed"));
        }
        return String.join(System.lineSeparator(), lines);
    }

    /** A client that counts its pongs and otherwise does nothing: the JDK answers the server's pings by itself. */
    private static final class Idle extends TextListener {
        private final AtomicInteger pongs;

        Idle(AtomicInteger pongs) {
            this.pongs = pongs;
        }

        @Override
        protected void receive(String frame) {
            if (frame.contains("\"pong\"")) {
                pongs.incrementAndGet();
            }
        }
    }
}
