package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/**
 * The edges of the protocol: a client's WebSocket PING is answered, unsubscribe lists are capped like subscribe
 * lists, binary and oversize frames count towards the abuse limit, and a connection is reachable through the
 * Management API as soon as the registry shows it.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolEdgesIT {
    private GatewayFixture gateway;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        gateway = new GatewayFixture(
                emulators,
                names,
                Map.of(
                        "PRESENCE_TARGET", "none",
                        "LIMITS_TOPICS", "100",
                        "LIMITS_FRAME_BYTES", "131072",
                        "LIMITS_ABUSE", "20"));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aClientsPingIsAnsweredWithAPongCarryingItsPayload(TestNames names) throws Exception {
        var pong = new CompletableFuture<String>();
        try (var http = HttpClient.newHttpClient()) {
            var socket = http.newWebSocketBuilder()
                    .buildAsync(gateway.ws(gateway.token(names.unique("pinger"))), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                            pong.complete(StandardCharsets.UTF_8.decode(message).toString());
                            return null;
                        }
                    })
                    .join();

            socket.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8)))
                    .join();

            assertThat(pong.get(10, TimeUnit.SECONDS)).isEqualTo("are you there");
            socket.abort();
        }
    }

    @Test
    void anUnsubscribeOfTenThousandTopicsIsRefusedWithTooManyTopics(TestNames names) throws Exception {
        try (var client = gateway.connect(names.unique("greedy"))) {
            var topics =
                    IntStream.range(0, 10_000).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));

            client.send("{\"type\":\"unsubscribe\",\"topics\":[" + topics + "]}");

            assertThat(client.next("error").path("code").asText()).isEqualTo("too_many_topics");
            assertThat(client.pingForConnectionId()).isNotBlank();
        }
    }

    @Test
    void binaryFramesInARowCountTowardsAbuseAndCloseWith1008(TestNames names) throws Exception {
        try (var client = gateway.connect(names.unique("binary"))) {
            for (var i = 0; i < 40 && !client.closed().isDone(); i++) {
                client.sendBinary(new byte[] {1, 2, 3});
            }

            assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }

    @Test
    void oversizeFramesInARowCountTowardsAbuseAndCloseWith1008(TestNames names) throws Exception {
        var large = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(140_000) + "\"}";
        try (var client = gateway.connect(names.unique("oversize"))) {
            for (var i = 0; i < 40 && !client.closed().isDone(); i++) {
                client.send(large);
            }

            assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }

    @Test
    void aPostAsSoonAsTheRegistryShowsANewConnectionIsDelivered(TestNames names) throws Exception {
        var user = names.unique("racer");
        try (var api = ApiGatewayManagementApiClient.builder()
                .endpointOverride(gateway.management())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            var connecting = CompletableFuture.supplyAsync(() -> gateway.connect(user));
            String id = null;
            // As a pusher would: the moment the registry lists the connection, post to it.
            var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (id == null && System.nanoTime() < deadline) {
                var targets = gateway.registry.connections().connectionsOf(user);
                id = targets.isEmpty() ? null : targets.getFirst().connectionId();
            }
            assertThat(id).as("the registry lists the connection").isNotNull();
            var connectionId = id;

            api.postToConnection(b -> b.connectionId(connectionId).data(SdkBytes.fromUtf8String("{\"early\":true}")));

            try (var client = connecting.get(10, TimeUnit.SECONDS)) {
                assertThat(client.next().path("early").asBoolean()).isTrue();
            }
        }
    }
}
