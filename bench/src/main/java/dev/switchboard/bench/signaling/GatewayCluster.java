package dev.switchboard.bench.signaling;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.ServiceProcess;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.registry.RegistryTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gateway nodes, each its own JVM (as in production: the load generator and the emulators do not share its heap,
 * JIT or GC), on the emulators, sharing one registry table and messages topic (presence goes to it), with the
 * per-connection rate limit lifted (a benchmark peer publishes far faster than a person). Connection {@code i}
 * goes to node {@code i % nodes}, so a room's peers are spread over every node. With the system property
 * {@code bench.profile} set to a directory, each node records a JFR profile there; with {@code bench.nmt}, it tracks
 * its native memory.
 */
public final class GatewayCluster implements AutoCloseable {
    /** The gateway's main class, started by name (this module may not depend on how it wires itself). */
    public static final String MAIN = "dev.switchboard.app.Main";

    private final Emulators emulators;
    private final List<ServiceProcess> nodes = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private final String table;

    /** {@code nodeCount} nodes and one RS256 token per connection, each its own user. */
    public GatewayCluster(Emulators emulators, int nodeCount, int connections) {
        this(emulators, nodeCount, connections, Map.of());
    }

    /**
     * {@code nodeCount} nodes with {@code environment} added to their settings, and {@code users} RS256 tokens
     * (connection {@code i} uses token {@code i % users}).
     */
    public GatewayCluster(Emulators emulators, int nodeCount, int users, Map<String, String> environment) {
        this(emulators, nodeCount, users, environment, serviceFlags());
    }

    /** As {@link #GatewayCluster(Emulators, int, int, Map)}, the nodes' JVMs started with {@code flags}. */
    public GatewayCluster(
            Emulators emulators, int nodeCount, int users, Map<String, String> environment, List<String> flags) {
        this.emulators = emulators;
        var run = UUID.randomUUID().toString().substring(0, 8);
        this.table = "bench-" + run;
        RegistryTable.create(emulators.dynamoDbClient(), RegistrySettings.of(table));
        var topic = emulators
                .snsClient()
                .createTopic(b -> b.name("bench-messages-" + run))
                .topicArn();
        var issuer = emulators.issuer();
        for (var i = 0; i < users; i++) {
            tokens.add(issuer.sign(issuer.claims(user(i), "switchboard").build()));
        }
        var logs = logDirectory();
        for (var n = 0; n < nodeCount; n++) {
            var settings = new HashMap<>(Map.ofEntries(
                    Map.entry("SERVER_HOST", "127.0.0.1"),
                    Map.entry("SERVER_PORT", "0"),
                    Map.entry("MANAGEMENT_HOST", "127.0.0.1"),
                    Map.entry("MANAGEMENT_PORT", "0"),
                    Map.entry("MANAGEMENT_URL", "http://127.0.0.1:0"),
                    Map.entry("NODE_ID", table + "-node-" + n),
                    Map.entry("AUTH_JWKS_URI", issuer.jwksUri().toString()),
                    Map.entry("AUTH_AUDIENCES", "switchboard"),
                    Map.entry("AUTH_ISSUER", issuer.issuer()),
                    Map.entry("CONNECTIONS_TABLE", table),
                    Map.entry("MESSAGES_TOPIC_ARN", topic),
                    Map.entry("PRESENCE_TARGET", "topic"),
                    Map.entry("LIMITS_RATE", "1000000"),
                    Map.entry("LIMITS_BURST", "1000000")));
            settings.putAll(environment);
            nodes.add(ServiceProcess.start(
                    MAIN,
                    jvmOptions("gateway-" + n, flags),
                    settings,
                    emulators,
                    logs.resolve("gateway-" + n + ".log")));
        }
    }

    /**
     * JVM options of a benchmarked service: defaults, or those of {@code bench.service.jvm} (separated by spaces or
     * commas: {@code BENCH_JAVA_OPTS} is split on spaces by the shell, so several flags go there with commas), plus
     * a JFR recording when {@code bench.profile} is set.
     */
    public static List<String> jvmOptions(String name) {
        return jvmOptions(name, serviceFlags());
    }

    /** The flags of {@code bench.service.jvm}: none by default. */
    public static List<String> serviceFlags() {
        var given = System.getProperty("bench.service.jvm", "").strip();
        return given.isEmpty() ? List.of() : List.of(given.split("[\\s,]+"));
    }

    /** {@code flags}, plus Native Memory Tracking and a JFR recording when the bench's properties ask for them. */
    public static List<String> jvmOptions(String name, List<String> flags) {
        var options = new ArrayList<>(flags);
        if (Boolean.getBoolean("bench.nmt")) {
            options.add("-XX:NativeMemoryTracking=summary");
        }
        var profile = System.getProperty("bench.profile");
        if (profile != null) {
            var file = directory(Path.of(profile)).resolve(name + "-" + System.nanoTime() + ".jfr");
            options.add("-XX:StartFlightRecording=settings=profile," + System.getProperty("bench.profile.events", "")
                    + "filename=" + file.toAbsolutePath());
        }
        return options;
    }

    /** A new directory for the services' output (their logs say what went wrong when a run fails). */
    public static Path logDirectory() {
        try {
            return Files.createTempDirectory("switchboard-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connection {@code i}'s URL, with its token, on node {@code i % nodes}. */
    public URI uri(int i) {
        var node = nodes.get(i % nodes.size());
        return URI.create("ws://127.0.0.1:" + node.port("port") + "/ws?authorization=" + tokens.get(i % tokens.size()));
    }

    /** Node {@code n}'s internal (Management API, health, metrics) base URL. */
    public URI managementUri(int n) {
        return URI.create("http://127.0.0.1:" + nodes.get(n).port("managementPort"));
    }

    /** The nodes' processes. */
    public List<ServiceProcess> nodes() {
        return nodes;
    }

    /** The CPU time all nodes have used so far. */
    public Duration cpu() {
        return nodes.stream().map(ServiceProcess::cpu).reduce(Duration.ZERO, Duration::plus);
    }

    /** The registry table the nodes share. */
    public String table() {
        return table;
    }

    /** Connection {@code i}'s user: {@code peer-<i>}. */
    public static String user(int i) {
        return "peer-" + i;
    }

    public Emulators emulators() {
        return emulators;
    }

    /**
     * SIGKILL (a graceful drain would deregister every connection, which is not what is measured), or, when
     * profiling, SIGTERM so the JFR recording is written.
     */
    @Override
    public void close() {
        stop(nodes);
    }

    /** Stops benchmarked services as {@link #close()} says. */
    public static void stop(List<ServiceProcess> services) {
        if (System.getProperty("bench.profile") == null) {
            services.forEach(ServiceProcess::close);
            return;
        }
        services.forEach(ServiceProcess::terminate);
        services.forEach(service -> {
            if (!service.waitFor(Duration.ofSeconds(60))) {
                service.close();
            }
        });
    }
}
