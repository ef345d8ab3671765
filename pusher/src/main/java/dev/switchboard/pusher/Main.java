package dev.switchboard.pusher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.pusher.consumer.QueueConsumer;
import dev.switchboard.pusher.consumer.SqsQueue;
import dev.switchboard.pusher.fanout.Delivery;
import dev.switchboard.pusher.fanout.Directory;
import dev.switchboard.pusher.fanout.FanOut;
import dev.switchboard.pusher.fanout.NodeFanOut;
import dev.switchboard.pusher.metrics.PusherMetrics;
import dev.switchboard.pusher.request.RequestParser;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.service.Readiness;
import dev.switchboard.service.Shutdown;
import dev.switchboard.settings.SettingsException;
import io.helidon.logging.common.LogConfig;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The pusher's composition root: settings, AWS clients, registry, fan-out, consumer, health and metrics. */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {}

    /** The AWS clients the pusher uses; endpoints and region come from the SDK's own environment. */
    public record AwsClients(DynamoDbClient dynamoDb, SqsAsyncClient sqs) implements AutoCloseable {
        public static AwsClients fromEnvironment() {
            var timeouts = ClientOverrideConfiguration.builder()
                    .apiCallTimeout(Duration.ofSeconds(30))
                    .apiCallAttemptTimeout(Duration.ofSeconds(25)) // above the 20 s long poll
                    .build();
            return new AwsClients(
                    DynamoDbClient.builder()
                            .overrideConfiguration(b -> b.apiCallTimeout(Duration.ofSeconds(10))
                                    .apiCallAttemptTimeout(Duration.ofSeconds(3)))
                            .build(),
                    SqsAsyncClient.builder()
                            .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                            .overrideConfiguration(timeouts)
                            .build());
        }

        @Override
        public void close() {
            dynamoDb.close();
            sqs.close();
        }
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        PusherSettings settings;
        try {
            settings = PusherSettings.from(PusherSettings.config());
        } catch (SettingsException e) {
            System.err.println("The pusher did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        var clients = AwsClients.fromEnvironment();
        var server = start(settings, clients);
        // SIGTERM or Ctrl-C: stop polling, finish or give back in-flight messages, exit; a second signal exits at once.
        Shutdown.onSignals(
                () -> {
                    server.stop();
                    clients.close();
                },
                settings.pollWait().plus(settings.shutdownDeadline()).plusSeconds(5));
    }

    /** The posts to the Management API, as the settings bound them; the caller closes it. */
    public static Delivery delivery(PusherSettings settings) {
        return new Delivery(
                settings.concurrency(),
                settings.nodeConcurrency(),
                settings.attempts(),
                settings.attemptTimeout(),
                settings.apigwEndpoint());
    }

    /** The fan-out over the settings' registry table, through {@code delivery}: the consumer's and Lambda's. */
    public static FanOut fanOut(PusherSettings settings, DynamoDbClient dynamoDb, Delivery delivery) {
        var registry = new ConnectionRegistry(
                dynamoDb, RegistrySettings.of(settings.table()).withIndex(settings.index()), Clock.systemUTC());
        var ours = settings.apigwEndpoint().isEmpty();
        var perNode = ours && settings.perNode()
                ? Optional.of(new NodeFanOut(
                        registry,
                        // HTTP/1.1 as between gateway nodes: no h2c upgrade, kept-alive connections per node.
                        HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(settings.attemptTimeout())
                                .build(),
                        settings.attemptTimeout(),
                        settings.attempts(),
                        settings.lookUpTopicsAbove()))
                : Optional.<NodeFanOut>empty();
        return new FanOut(Directory.of(registry), delivery, perNode);
    }

    /** Reads notification requests, refusing {@code data} larger than a client frame. */
    public static RequestParser parser(PusherSettings settings) {
        return new RequestParser(new ObjectMapper(), settings.maxFrameBytes());
    }

    /** Starts a pusher: its health and metrics port (0 picks a free one) and its pollers. */
    public static PusherServer start(PusherSettings settings, AwsClients clients) {
        var delivery = delivery(settings);
        var fanOut = fanOut(settings, clients.dynamoDb(), delivery);
        var consumer = new QueueConsumer[1];
        var metrics = new PusherMetrics(() -> consumer[0] == null ? 0 : consumer[0].inFlight());
        consumer[0] = new QueueConsumer(
                new SqsQueue(clients.sqs(), settings.queueUrl().orElseThrow()), // required by PusherSettings.from
                settings.visibility(),
                settings.pollWait(),
                settings.shutdownDeadline(),
                settings.maxInFlight(),
                parser(settings),
                fanOut::fanOut,
                metrics);
        var server = new PusherServer(consumer[0], delivery, metrics, settings);
        consumer[0].start(settings.pollers());
        LOG.log(
                Level.INFO,
                "pusher started port={0} queueUrl={1} delivery={2}",
                String.valueOf(server.port()),
                settings.queueUrl().orElseThrow(),
                settings.apigwEndpoint()
                        .map(e -> "API Gateway " + e)
                        .orElse(settings.perNode() ? "per node" : "per connection, to its node"));
        Readiness.announce(settings.readyFile(), Map.of("service", "pusher", "port", String.valueOf(server.port())));
        return server;
    }
}
