package dev.switchboard.pusher;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.ServiceProcess;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.Nodes;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.registry.RegistryTable;
import dev.switchboard.settings.Settings;
import io.helidon.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * What the pusher works with, for tests: a registry table, and gateway nodes as their own processes ({@code
 * dev.switchboard.app.Main}, started by name: the pusher never imports the gateway) on it. Queues and pushers are
 * per test ({@link #queues}, {@link #pusher}).
 */
final class PushStack implements AutoCloseable {
    static final String GATEWAY_MAIN = "dev.switchboard.app.Main";

    final Emulators emulators;
    final String table;
    final ConnectionRegistry registry;
    final SqsAsyncClient sqsAsync;
    final List<ServiceProcess> nodes = new ArrayList<>();
    private final List<PusherServer> pushers = new ArrayList<>();

    PushStack(Emulators emulators, TestNames names, Path directory, int nodeCount) {
        this(emulators, names, directory, nodeCount, Map.of());
    }

    /** @param nodeSettings added to each gateway node's environment (its lease, its sweep) */
    PushStack(Emulators emulators, TestNames names, Path directory, int nodeCount, Map<String, String> nodeSettings) {
        this.emulators = emulators;
        this.table = names.unique("connections");
        var registrySettings = RegistrySettings.of(table);
        RegistryTable.create(emulators.dynamoDbClient(), registrySettings);
        this.registry = new ConnectionRegistry(emulators.dynamoDbClient(), registrySettings, Clock.systemUTC());
        this.sqsAsync = Emulators.client(SqsAsyncClient.builder(), emulators.sqsEndpoint(), emulators.settings());
        for (var i = 0; i < nodeCount; i++) {
            var settings = new HashMap<>(Map.ofEntries(
                    Map.entry("SERVER_HOST", "127.0.0.1"),
                    Map.entry("SERVER_PORT", "0"),
                    Map.entry("MANAGEMENT_HOST", "127.0.0.1"),
                    Map.entry("MANAGEMENT_PORT", "0"),
                    Map.entry("MANAGEMENT_URL", "http://127.0.0.1:0"),
                    Map.entry("NODE_ID", table + "-node-" + i),
                    Map.entry("AUTH_JWKS_URI", emulators.issuer().jwksUri().toString()),
                    Map.entry("AUTH_AUDIENCES", "switchboard"),
                    Map.entry("CONNECTIONS_TABLE", table),
                    Map.entry("PRESENCE_TARGET", "none")));
            settings.putAll(nodeSettings);
            nodes.add(ServiceProcess.start(
                    GATEWAY_MAIN, settings, emulators, directory.resolve("gateway-" + i + ".log")));
        }
    }

    String nodeId(int node) {
        return nodes.get(node).ready("nodeId");
    }

    URI managementUrl(int node) {
        return URI.create("http://127.0.0.1:" + nodes.get(node).port("managementPort"));
    }

    TestClient connect(String user, int node) throws Exception {
        var issuer = emulators.issuer();
        var token = issuer.sign(issuer.claims(user, "switchboard").build());
        var client = TestClient.connect(
                URI.create("ws://127.0.0.1:" + nodes.get(node).port("port") + "/ws?authorization=" + token));
        client.pingForConnectionId(); // registered and served
        return client;
    }

    TestClient subscribed(String user, int node, String topic) throws Exception {
        var client = connect(user, node);
        client.send("{\"type\":\"subscribe\",\"topics\":[\"" + topic + "\"]}");
        client.pingForConnectionId();
        return client;
    }

    /**
     * A node record of a stand-in node (not a gateway), removed again on close: no later test should ask it. Like a
     * gateway, it is there for {@link Nodes#JOIN_GRACE} before it counts as holding connections.
     */
    AutoCloseable standIn(String nodeId, String endpoint) throws InterruptedException {
        registry.nodes().heartbeat(nodeId, endpoint); // its lease says alive: only posts find out what it does
        Thread.sleep(Nodes.JOIN_GRACE); // the node contract (a gateway waits as long), not a synchronization
        return () -> registry.nodes().forget(nodeId);
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) to a process, waiting until {@code kill} is done. */
    void signal(ProcessHandle process, String signal) throws Exception {
        var kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    Queues queues(TestNames names, int maxReceiveCount) {
        return new Queues(emulators, names, maxReceiveCount);
    }

    /** A pusher in this JVM on the queue, with {@code overrides} (environment names). */
    PusherServer pusher(Queues queues, Map<String, String> overrides) {
        var pusher = Main.start(settings(queues, overrides), new Main.AwsClients(emulators.dynamoDbClient(), sqsAsync));
        pushers.add(pusher);
        return pusher;
    }

    Map<String, String> environment(Queues queues, Map<String, String> overrides) {
        var env = new HashMap<String, String>();
        env.put("PUSHER_HOST", "127.0.0.1");
        env.put("PUSHER_PORT", "0");
        env.put("NOTIFICATIONS_QUEUE_URL", queues.queueUrl);
        env.put("NOTIFICATIONS_VISIBILITY", "PT5S");
        env.put("NOTIFICATIONS_WAIT", "PT2S"); // tests stop pushers often: no 20 s long poll to sit out
        env.put("CONNECTIONS_TABLE", table);
        env.put("DELIVERY_ATTEMPTS", "2");
        env.putAll(overrides);
        return env;
    }

    PusherSettings settings(Queues queues, Map<String, String> overrides) {
        return PusherSettings.from(config(environment(queues, overrides)));
    }

    /** The pusher's configuration with exactly {@code env} as its environment. */
    static Config config(Map<String, String> env) {
        return Settings.fromEnvironment(List.of(PusherSettings.DEFAULTS), env);
    }

    @Override
    public void close() {
        pushers.forEach(PusherServer::stop);
        nodes.forEach(ServiceProcess::close);
        sqsAsync.close();
    }
}
