package dev.switchboard.bench.signaling;

import dev.switchboard.app.GatewayServer;
import dev.switchboard.app.GatewaySettings;
import dev.switchboard.app.Main;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.registry.RegistryTable;
import io.helidon.config.ConfigSources;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gateway nodes in this JVM on the emulators, sharing one registry table and messages topic (presence goes to it),
 * with the per-connection rate limit lifted (a benchmark peer publishes far faster than a person). Connection
 * {@code i} goes to node {@code i % nodes}, so a room's peers are spread over every node.
 */
public final class GatewayCluster implements AutoCloseable {
    private final Emulators emulators;
    private final List<GatewayServer> nodes = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private final String table;

    public GatewayCluster(Emulators emulators, int nodeCount, int connections) {
        this.emulators = emulators;
        var run = UUID.randomUUID().toString().substring(0, 8);
        this.table = "bench-" + run;
        RegistryTable.create(emulators.dynamoDbClient(), RegistrySettings.of(table));
        var topic = emulators
                .snsClient()
                .createTopic(b -> b.name("bench-messages-" + run))
                .topicArn();
        var issuer = emulators.issuer();
        for (var i = 0; i < connections; i++) {
            tokens.add(issuer.sign(issuer.claims(user(i), "switchboard").build()));
        }
        var clients = new Main.AwsClients(emulators.dynamoDbClient(), emulators.sqsClient(), emulators.snsClient());
        for (var n = 0; n < nodeCount; n++) {
            var settings = GatewaySettings.from(GatewaySettings.config(ConfigSources.create(Map.ofEntries(
                            Map.entry("server.host", "127.0.0.1"),
                            Map.entry("server.port", "0"),
                            Map.entry("management.host", "127.0.0.1"),
                            Map.entry("management.port", "0"),
                            Map.entry("management.url", "http://127.0.0.1:0"),
                            Map.entry("auth.jwks.uri", issuer.jwksUri().toString()),
                            Map.entry("auth.audiences", "switchboard"),
                            Map.entry("auth.issuer", issuer.issuer()),
                            Map.entry("connections.table", table),
                            Map.entry("messages.topic.arn", topic),
                            Map.entry("presence.target", "topic"),
                            Map.entry("limits.rate", "1000000"),
                            Map.entry("limits.burst", "1000000")))
                    .build()));
            nodes.add(Main.start(settings, clients));
        }
    }

    /** Connection {@code i}'s URL, with its own RS256 token, on node {@code i % nodes}. */
    public URI uri(int i) {
        var node = nodes.get(i % nodes.size());
        return URI.create("ws://127.0.0.1:" + node.port() + "/ws?authorization=" + tokens.get(i));
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

    @Override
    public void close() {
        nodes.forEach(GatewayServer::stop);
    }
}
