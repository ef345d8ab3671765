package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.topics.TopicRelay;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** The Management API through the real ApiGatewayManagementApiClient, as the pusher and AWS users drive it. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementApiIT {
    private GatewayFixture gateway;
    private ApiGatewayManagementApiClient api;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        gateway = new GatewayFixture(emulators, names, Map.of("PRESENCE_TARGET", "none"));
        api = ApiGatewayManagementApiClient.builder()
                .endpointOverride(gateway.management())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @AfterAll
    void stop() {
        api.close();
        gateway.close();
    }

    @Test
    void postToConnectionDeliversTheBodyAsOneTextFrame() throws Exception {
        try (var client = gateway.connect("alice")) {
            var id = client.pingForConnectionId();

            api.postToConnection(
                    b -> b.connectionId(id).data(SdkBytes.fromUtf8String("{\"hello\":\"from a backend\"}")));

            assertThat(client.next().path("hello").asText()).isEqualTo("from a backend");
        }
    }

    @Test
    void getConnectionTellsWhenAndFromWhere() throws Exception {
        try (var client = gateway.connect("bob")) {
            var id = client.pingForConnectionId();

            var info = api.getConnection(b -> b.connectionId(id));

            assertThat(info.connectedAt()).isBefore(Instant.now().plusSeconds(1));
            assertThat(info.lastActiveAt()).isAfterOrEqualTo(info.connectedAt());
            assertThat(info.identity().sourceIp()).isEqualTo("127.0.0.1");
            assertThat(info.identity().userAgent()).isNotNull();
        }
    }

    @Test
    void deleteConnectionClosesIt() throws Exception {
        try (var client = gateway.connect("carol")) {
            var id = client.pingForConnectionId();

            api.deleteConnection(b -> b.connectionId(id));

            assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        }
    }

    @Test
    void aConnectionNotOnThisNodeIsGone() {
        assertThatThrownBy(() -> api.postToConnection(
                        b -> b.connectionId("no-such-connection").data(SdkBytes.fromUtf8String("{}"))))
                .isInstanceOf(GoneException.class);
        assertThatThrownBy(() -> api.getConnection(b -> b.connectionId("no-such-connection")))
                .isInstanceOf(GoneException.class);
    }

    @Test
    void aRelayBatchFromAnotherNodeReachesTheSubscribersAndABrokenOneIs400() throws Exception {
        try (var client = gateway.connect("dave");
                var http = HttpClient.newHttpClient()) {
            client.send("{\"type\":\"subscribe\",\"topics\":[\"relay-room\"]}");
            client.pingForConnectionId();
            var relay = HttpRequest.newBuilder(gateway.management().resolve(TopicRelay.PATH));

            var good = http.send(
                    // The wire form between nodes, written out: <length>:<topic><length>:<frame>, twice.
                    relay.POST(BodyPublishers.ofString("10:relay-room7:{\"n\":1}10:relay-room7:{\"n\":2}"))
                            .build(),
                    BodyHandlers.ofString());
            var broken =
                    http.send(relay.POST(BodyPublishers.ofString("12:relay")).build(), BodyHandlers.ofString());

            assertThat(good.body()).isEqualTo("{\"delivered\":2}");
            assertThat(client.next().path("n").asInt()).isEqualTo(1);
            assertThat(client.next().path("n").asInt()).isEqualTo(2);
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(broken.body()).contains("offset 0");
        }
    }
}
