package dev.switchboard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.management.GatewayMetrics;
import dev.switchboard.app.management.ManagementApi;
import dev.switchboard.app.outputs.Outputs;
import dev.switchboard.app.protocol.CloseCode;
import dev.switchboard.app.topics.TopicRelay;
import dev.switchboard.app.ws.GatewayListener;
import dev.switchboard.authorizer.TokenVerifier;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.service.Observability;
import dev.switchboard.service.Shutdown;
import io.helidon.common.socket.SocketOptions;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
        static AwsClients fromEnvironment() {
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
        } catch (IllegalStateException e) {
            System.err.println("The gateway did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        var clients = AwsClients.fromEnvironment();
        var server = start(settings, clients);
        // SIGTERM or Ctrl-C drains the node, then exits; a second one, or a drain past its deadline, exits at once.
        Shutdown.onSignals(
                () -> {
                    server.stop();
                    clients.close();
                },
                settings.shutdownDelay().plus(settings.shutdownDeadline()).plusSeconds(5));
    }

    /** Starts a gateway node on the settings' ports (0 picks free ones; the advertised URL follows). */
    public static GatewayServer start(GatewaySettings settings, AwsClients clients) {
        var json = new ObjectMapper();
        var clock = Clock.systemUTC();
        var verifier = new TokenVerifier(settings.auth(), clock);
        var registry = new ConnectionRegistry(
                clients.dynamoDb(),
                RegistrySettings.of(settings.table())
                        .withIndex(settings.index())
                        .withNodeLease(settings.nodeLease()),
                clock);
        var hub = new LocalConnections();
        var metrics = new GatewayMetrics(hub::size);
        var outputs = new Outputs(
                clients.sqs(),
                clients.sns(),
                settings.messagesQueueUrl(),
                settings.messagesTopicArn(),
                settings.presenceTarget(),
                settings.source(),
                json,
                clock);
        var holder = new Gateway[1];
        var draining = new AtomicBoolean();
        var relay = new TopicRelay[1];
        var http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance: one kept-alive connection per node
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        var server = WebServer.builder()
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
                        .endpoint("/ws", () -> new GatewayListener(holder[0], verifier, draining::get))
                        .endpoint("/", () -> new GatewayListener(holder[0], verifier, draining::get)))
                // /health (live: the process answers; ready: started and not draining), on the internal socket only.
                .addFeature(
                        Observability.health(INTERNAL_SOCKET, "gateway", () -> holder[0] != null && !draining.get()))
                .putSocket(INTERNAL_SOCKET, socket -> socket.connectionOptions(NO_DELAY)
                        .useNio(settings.nio())
                        .host(settings.managementHost())
                        .port(settings.managementPort())
                        .routing(routing -> new ManagementApi(
                                        hub, () -> relay[0], metrics, settings.maxFrameBytes(), json)
                                .routing(routing)))
                .build()
                .start();
        // With port 0 the advertised URL is only known now.
        var effective = settings.managementPort() == 0 || settings.port() == 0
                ? settings.withPorts(
                        server.port(),
                        server.port(INTERNAL_SOCKET),
                        URI.create("http://" + settings.managementUrl().getHost() + ":" + server.port(INTERNAL_SOCKET)))
                : settings;
        relay[0] = new TopicRelay(
                registry,
                hub,
                metrics,
                effective.nodeId(),
                effective.managementUrl().toString(),
                effective.topicsCache(),
                http);
        var gateway = new Gateway(effective, registry, hub, outputs, metrics, json, relay[0], clock);
        holder[0] = gateway;
        var scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("gateway-timer").daemon().factory());
        schedule(
                scheduler,
                effective.heartbeatInterval(),
                () -> registry.heartbeat(
                        effective.nodeId(), effective.managementUrl().toString()));
        schedule(scheduler, effective.pingInterval(), () -> pingOrDrop(gateway, effective.pingInterval()));
        // Dead nodes: whichever survivor sweeps first deregisters their connections and sends the OFFLINEs.
        schedule(scheduler, effective.sweepInterval(), () -> registry.sweepDeadNodes()
                .forEach(change -> outputs.presence(change, "")));
        schedule(scheduler, Duration.ofMinutes(1), () -> relay[0].forgetIdle(Duration.ofMinutes(1)));
        var refresh = registry.settings().connectionTtl().dividedBy(2);
        schedule(scheduler, refresh, () -> {
            registry.refresh(hub.all().stream().map(c -> c.id()).toList());
            hub.topics().forEach(relay[0]::countChanged);
        });
        LOG.log(
                Level.INFO,
                "gateway started nodeId={0} port={1} managementPort={2} managementUrl={3}",
                effective.nodeId(),
                String.valueOf(server.port()),
                String.valueOf(server.port(INTERNAL_SOCKET)),
                effective.managementUrl());
        return new GatewayServer(server, gateway, registry, scheduler, draining);
    }

    /** Pings every connection; drops one whose last pong is older than two intervals. */
    private static void pingOrDrop(Gateway gateway, Duration interval) {
        for (var connection : gateway.hub().all()) {
            if (connection.nanosSinceLastPong() > interval.multipliedBy(2).toNanos()) {
                connection.close(CloseCode.PEER_UNRESPONSIVE, "no pong");
                gateway.closed(connection, CloseCode.PEER_UNRESPONSIVE.status());
            } else {
                connection.ping();
            }
        }
    }

    private static void schedule(ScheduledExecutorService scheduler, Duration every, Runnable task) {
        var first = every.toMillis();
        var unused = scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "periodic task failed: {0}", e.getMessage());
                    }
                },
                task == null ? first : 0,
                first,
                TimeUnit.MILLISECONDS);
    }
}
