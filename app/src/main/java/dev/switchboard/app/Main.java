package dev.switchboard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.delivery.NodeDeliveries;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.management.Console;
import dev.switchboard.app.management.ManagementApi;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.outputs.Outputs;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.app.protocol.Json;
import dev.switchboard.app.topics.TopicPresence;
import dev.switchboard.app.topics.TopicRelay;
import dev.switchboard.app.ws.GatewayListener;
import dev.switchboard.authorizer.TokenVerifier;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.service.Observability;
import dev.switchboard.service.Readiness;
import dev.switchboard.service.Shutdown;
import dev.switchboard.settings.SettingsException;
import io.helidon.common.socket.SocketOptions;
import io.helidon.logging.common.LogConfig;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The gateway's composition root: settings, AWS clients, registry, hub, outputs, the two sockets. */
public final class Main {
    /** The name of the internal socket (Management API, health, metrics). */
    public static final String INTERNAL_SOCKET = "internal";

    private static final System.Logger LOG = System.getLogger(Main.class.getName());
    private static final SocketOptions NO_DELAY =
            SocketOptions.builder().tcpNoDelay(true).build();

    private Main() {}

    /** The AWS clients the gateway uses; endpoints and region come from the SDK's own environment. */
    public record AwsClients(DynamoDbClient dynamoDb, SqsClient sqs, SnsClient sns) implements AutoCloseable {
        public static AwsClients fromEnvironment() {
            var timeouts = ClientOverrideConfiguration.builder()
                    .apiCallTimeout(Duration.ofSeconds(10))
                    .apiCallAttemptTimeout(Duration.ofSeconds(3))
                    .build();
            return new AwsClients(
                    DynamoDbClient.builder().overrideConfiguration(timeouts).build(),
                    SqsClient.builder().overrideConfiguration(timeouts).build(),
                    SnsClient.builder().overrideConfiguration(timeouts).build());
        }

        @Override
        public void close() {
            dynamoDb.close();
            sqs.close();
            sns.close();
        }
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        GatewaySettings settings;
        try {
            settings = GatewaySettings.from(GatewaySettings.config());
        } catch (SettingsException e) {
            System.err.println("The gateway did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        var clients = AwsClients.fromEnvironment();
        var server = start(settings, clients);
        // SIGTERM or Ctrl-C drains the node, then exits; a second one, or a drain past its deadline, exits at once.
        var shutdown = Shutdown.onSignals(
                () -> {
                    server.stop();
                    clients.close();
                },
                settings.shutdownDelay().plus(settings.shutdownDeadline()).plusSeconds(5));
        // On ECS behind an ALB the drain must begin before SIGTERM, which comes only after the ALB dropped the clients.
        EcsTaskWatch.start(Optional.ofNullable(System.getenv(EcsTaskWatch.METADATA_VARIABLE)), shutdown::begin);
    }

    /** Starts a gateway node on the settings' ports (0 picks free ones; the advertised URL follows). */
    public static GatewayServer start(GatewaySettings settings, AwsClients clients) {
        var json = Json.mapper();
        var clock = Clock.systemUTC();
        var registry = new ConnectionRegistry(
                clients.dynamoDb(),
                RegistrySettings.of(settings.table())
                        .withIndex(settings.index())
                        .withNodeLease(settings.nodeLease()),
                clock);
        var hub = new LocalConnections();
        var metrics = new GatewayMetrics(hub::size, hub::queuedBytes);
        var outputs = new Outputs(
                clients.sqs(),
                clients.sns(),
                settings.messagesQueueUrl(),
                settings.messagesTopicArn(),
                settings.presenceTarget(),
                settings.source(),
                json,
                clock);
        var upkeep = new NodeUpkeep();
        var node = new AtomicReference<Node>();
        var draining = new AtomicBoolean();
        var verifier = new TokenVerifier(settings.auth(), clock);
        // A backend's message to a topic with history is stored once, whichever of its nodes gets there first.
        NodeDeliveries.Kept kept = (topic, requestId, data) -> settings.topicRules()
                .historyOf(topic)
                .map(history -> registry.history()
                        .appendOnce(
                                topic,
                                requestId,
                                history.ttl(),
                                (epoch, offset) -> NodeDeliveries.withPosition(data, epoch, offset)));
        var console = new Console(
                hub, metrics, registry, clients.sqs(), settings.notificationsQueueUrl(), settings.nodeId(), json);
        var server = webServer(settings, verifier, node, draining, hub, metrics, json, kept, console);
        // With port 0 the advertised URL is only known now.
        var managementUrl = settings.advertisedUrl(server.port(INTERNAL_SOCKET));
        var relay = new TopicRelay(
                registry,
                hub,
                metrics,
                settings.nodeId(),
                managementUrl.toString(),
                settings.topicsCache(),
                settings.topicsCached(),
                settings.relayMaxBytes(),
                // Helidon's HTTP/1.1 client: it writes and reads on the calling (virtual) thread, with no selector
                // thread between, over one kept-alive connection per node; no Expect: 100-continue round trip.
                Http1Client.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .readTimeout(Duration.ofSeconds(5))
                        .sendExpectContinue(false)
                        .build());
        metrics.topicsCached(relay::cachedTopics);
        var aws = new AwsCalls(Gateway.AWS_CALL_THREADS);
        var announcer = outputs.announcer();
        var presence = new TopicPresence(registry, hub, relay, json);
        var frames = new ClientFrames(
                settings,
                registry,
                hub,
                outputs,
                metrics,
                json,
                new FrameLimit(settings.maxFrameBytes()),
                relay,
                aws,
                verifier,
                presence);
        var gateway = new Gateway(
                settings,
                managementUrl,
                new RegistryRecords(registry, announcer, presence),
                hub,
                metrics,
                relay,
                frames,
                aws,
                clock,
                upkeep.timer());
        var lease = new NodeLease(
                registry,
                settings.nodeId(),
                managementUrl.toString(),
                settings.nodeLease().multipliedBy(3));
        lease.start(settings.heartbeatInterval(), announcer);
        lease.onRecovered(gateway::registerAgain);
        awaitJoinGrace(lease);
        node.set(new Node(gateway, relay));
        upkeep.start(settings, hub, registry, relay, announcer);
        LOG.log(
                Level.INFO,
                "gateway started nodeId={0} port={1} managementPort={2} managementUrl={3}",
                settings.nodeId(),
                String.valueOf(server.port()),
                String.valueOf(server.port(INTERNAL_SOCKET)),
                managementUrl);
        Readiness.announce(
                settings.readyFile(),
                Map.of(
                        "service", "gateway",
                        "nodeId", settings.nodeId(),
                        "port", String.valueOf(server.port()),
                        "managementPort", String.valueOf(server.port(INTERNAL_SOCKET)),
                        "managementUrl", managementUrl.toString()));
        return new GatewayServer(server, gateway, registry, lease, upkeep, draining, announcer);
    }

    private static void awaitJoinGrace(NodeLease lease) {
        try {
            lease.awaitJoinGrace();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** What the sockets' handlers need once the node is wired; absent while it starts. */
    private record Node(Gateway gateway, TopicRelay relay) {}

    /** The gateway once the node is wired, else null: the listener then refuses the upgrade (503). */
    private static Gateway gatewayOf(AtomicReference<Node> node) {
        var wired = node.get();
        return wired == null ? null : wired.gateway();
    }

    /** The internal socket's routes but health: the console, the Management API, the node routes, metrics. */
    static void internalRouting(HttpRouting.Builder routing, Console console, ManagementApi api) {
        console.routing(routing);
        api.routing(routing);
    }

    /**
     * The two sockets: the public WebSocket endpoint ({@code /ws} and {@code /}) and the internal one (Management API,
     * the relay between nodes, {@code /metrics}, {@code /health}, whose readiness waits for the node).
     */
    private static WebServer webServer(
            GatewaySettings settings,
            TokenVerifier verifier,
            AtomicReference<Node> node,
            AtomicBoolean draining,
            LocalConnections hub,
            GatewayMetrics metrics,
            ObjectMapper json,
            NodeDeliveries.Kept kept,
            Console console) {
        return WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                // Plain sockets by default: NIO ones hold two 8 KB buffers per connection (docs/benchmarks.md).
                .useNio(settings.nio())
                // Small frames leave at once: with Nagle on, a frame could wait for the peer's delayed ACK (40 ms).
                .connectionOptions(NO_DELAY)
                .addProtocol(WsConfig.builder()
                        .name("websocket")
                        // Empty: any origin (GatewayUpgradeProvider); else Helidon's exact allow-list (403 otherwise).
                        .origins(Set.copyOf(settings.origins()))
                        // Frames up to 8 × our limit reach us and get an error frame; beyond, Helidon closes (1009).
                        .maxFrameLength(Math.max(settings.maxFrameBytes() * 8, 1 << 20))
                        .build())
                .addRouting(WsRouting.builder()
                        .endpoint("/ws", () -> new GatewayListener(gatewayOf(node), verifier, draining::get))
                        .endpoint("/", () -> new GatewayListener(gatewayOf(node), verifier, draining::get)))
                // /health (live: the process answers; ready: started and not draining), on the internal socket only.
                .addFeature(
                        Observability.health(INTERNAL_SOCKET, "gateway", () -> node.get() != null && !draining.get()))
                .putSocket(INTERNAL_SOCKET, socket -> socket.connectionOptions(NO_DELAY)
                        .useNio(settings.nio())
                        .host(settings.managementHost())
                        .port(settings.managementPort())
                        .routing(routing -> internalRouting(
                                routing,
                                console,
                                new ManagementApi(
                                        hub,
                                        () -> node.get() == null
                                                ? null
                                                : node.get().relay(),
                                        metrics,
                                        new FrameLimit(settings.maxFrameBytes()),
                                        json,
                                        kept))))
                .build()
                .start();
    }
}
