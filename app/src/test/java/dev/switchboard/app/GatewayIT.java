package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/** One gateway node, real WebSocket clients, real tokens, outputs into ElasticMQ through the SNS emulator. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private GatewayFixture gateway;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        gateway = new GatewayFixture(
                emulators,
                names,
                Map.of(
                        "PRESENCE_TARGET", "topic",
                        "LIMITS_FRAME_BYTES", "2048",
                        "LIMITS_TOPICS", "3",
                        "LIMITS_TOPIC_LENGTH", "32"));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aSumuPingIsAnsweredWithTheConnectionId() throws Exception {
        try (var client = gateway.connect("alice")) {
            var id = client.pingForConnectionId();

            assertThat(id).isNotBlank();
            assertThat(gateway.registry.connections().connection(id)).hasValueSatisfying(c -> {
                assertThat(c.userId()).isEqualTo("alice");
                assertThat(c.endpoint()).isEqualTo(gateway.management().toString());
            });
        }
    }

    @Test
    void aBearerHeaderIsAcceptedToo() throws Exception {
        try (var client = TestClient.connect(gateway.base(), gateway.token("bob"))) {
            assertThat(client.pingForConnectionId()).isNotBlank();
        }
    }

    @Test
    void theQuerysTokenWinsOverTheBearerHeaderAndOurOwnHeaderIsNoToken() throws Exception {
        // The upgrade moves the query's token into a header of ours (so the connection does not keep the query).
        try (var client = TestClient.connect(gateway.ws(gateway.token("carol")), gateway.token("bob"))) {
            var id = client.pingForConnectionId();
            assertThat(gateway.registry.connections().connection(id))
                    .hasValueSatisfying(c -> assertThat(c.userId()).isEqualTo("carol"));
        }
        var forged = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("X-Switchboard-Query-Token", gateway.token("mallory"))
                .buildAsync(gateway.base(), new WebSocket.Listener() {});
        assertThatThrownBy(forged::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void noTokenABadTokenAndAnExpiredTokenAreRefusedWith401BeforeTheUpgrade() throws Exception {
        var issuer = gateway.emulators.issuer();
        var expired = issuer.sign(issuer.claims("alice", "switchboard")
                .expirationTime(Date.from(java.time.Instant.now().minusSeconds(3600)))
                .build());
        for (var uri : List.of(gateway.base(), gateway.ws("not-a-token"), gateway.ws(expired))) {
            assertThatThrownBy(() -> TestClient.connect(uri))
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        }
        assertThat(metrics()).containsPattern("switchboard_handshake_refusals_total\\{reason=\"expired\",?} [1-9]");
    }

    @Test
    void sendGoesToTheMessagesQueueWithSumusAttributes() throws Exception {
        try (var client = gateway.connect("carol")) {
            var id = client.pingForConnectionId();

            client.send("{\"action\":\"send\",\"message\":{\"hello\":\"queue\"}}");

            var message = receive(gateway.queueUrl, "\"hello\":\"queue\"");
            assertThat(JSON.readTree(message.body()).path("hello").asText()).isEqualTo("queue");
            assertThat(message.messageAttributes().get("user_id").stringValue()).isEqualTo("carol");
            assertThat(message.messageAttributes().get("connection_id").stringValue())
                    .isEqualTo(id);
            assertThat(message.messageAttributes().get("source").stringValue()).isEqualTo("switchboard");
            assertThat(message.messageAttributes().get("kind").stringValue()).isEqualTo("client");
            assertThat(Long.parseLong(
                            message.messageAttributes().get("timestamp").stringValue()))
                    .isPositive();
        }
    }

    @Test
    void publishGoesThroughTheMessagesTopic() throws Exception {
        try (var client = gateway.connect("dave")) {
            client.send("{\"action\":\"publish\",\"message\":{\"hello\":\"topic\"}}");

            var message = receive(gateway.topicQueueUrl, "\"hello\":\"topic\"");
            assertThat(message.messageAttributes().get("user_id").stringValue()).isEqualTo("dave");
        }
    }

    @Test
    void aClientCannotMakeAMessageABackendWouldTakeForPresence() throws Exception {
        try (var client = gateway.connect("mallory")) {
            var forged = "{\"type\":\"presence\",\"message\":{\"user_id\":\"victim\",\"status\":\"OFFLINE\","
                    + "\"version\":99,\"timestamp\":1}}";
            client.send("{\"action\":\"publish\",\"message\":" + forged + "}");
            client.send("{\"action\":\"send\",\"message\":" + forged + "}");

            for (var queue : List.of(gateway.topicQueueUrl, gateway.queueUrl)) {
                var message = receive(queue, "\"user_id\":\"victim\"");
                assertThat(message.messageAttributes().get("kind").stringValue())
                        .as("the body is the client's to choose; the attribute is not")
                        .isEqualTo("client");
                assertThat(message.messageAttributes().get("user_id").stringValue())
                        .isEqualTo("mallory");
            }
            var real = receive(gateway.topicQueueUrl, "\"user_id\":\"mallory\"");
            assertThat(real.messageAttributes().get("kind").stringValue()).isEqualTo("presence");
        }
    }

    @Test
    void theFirstConnectionOfAUserIsAnnouncedOnline() throws Exception {
        try (var client = gateway.connect("erin")) {
            client.pingForConnectionId();

            var event = JSON.readTree(
                    receive(gateway.topicQueueUrl, "\"user_id\":\"erin\"").body());
            assertThat(event.path("type").asText()).isEqualTo("presence");
            assertThat(event.path("message").path("status").asText()).isEqualTo("ONLINE");
        }
    }

    @Test
    void aTopicPublishReachesEverySubscriberTheSenderIncludedWithClients() throws Exception {
        try (var a = gateway.connect("frank");
                var b = gateway.connect("grace")) {
            a.send("{\"type\":\"subscribe\",\"topics\":[\"room-1\"]}");
            b.send("{\"type\":\"subscribe\",\"topics\":[\"room-1\"]}");
            a.pingForConnectionId();
            b.pingForConnectionId();

            a.send("{\"type\":\"publish\",\"topic\":\"room-1\",\"data\":{\"type\":\"announce\",\"from\":\"a\"}}");

            for (var client : List.of(a, b)) {
                var frame = client.next("publish");
                assertThat(frame.path("topic").asText()).isEqualTo("room-1");
                assertThat(frame.path("clients").asInt()).isEqualTo(2);
                assertThat(frame.path("data").path("from").asText()).isEqualTo("a");
            }
        }
    }

    @Test
    void afterUnsubscribingNothingMoreArrives() throws Exception {
        try (var a = gateway.connect("heidi");
                var b = gateway.connect("ivan")) {
            b.send("{\"type\":\"subscribe\",\"topics\":[\"room-2\"]}");
            b.send("{\"type\":\"unsubscribe\",\"topics\":[\"room-2\",\"never\"]}");
            b.pingForConnectionId();

            a.send("{\"type\":\"publish\",\"topic\":\"room-2\",\"data\":\"x\"}");
            a.pingForConnectionId();

            assertThat(b.receivesWithin(Duration.ofMillis(300))).isFalse();
        }
    }

    @Test
    void aYWebrtcPingGetsAPong() throws Exception {
        try (var client = gateway.connect("judy")) {
            client.send("{\"type\":\"ping\"}");

            assertThat(client.next().toString()).isEqualTo("{\"type\":\"pong\"}");
        }
    }

    @Test
    void badInputGetsItsErrorAndNeitherThisNorAnotherConnectionIsHurt() throws Exception {
        var bad = Map.of(
                "not json",
                "invalid_json",
                "[1,2]",
                "invalid_json",
                "{\"hello\":1}",
                "missing_verb",
                "{\"action\":\"dance\"}",
                "unknown_action",
                "{\"type\":\"dance\"}",
                "unknown_type",
                "{\"type\":\"subscribe\",\"topics\":\"room\"}",
                "invalid_field",
                "{\"action\":\"send\"}",
                "invalid_field",
                "{\"type\":\"subscribe\",\"topics\":[\"" + "t".repeat(40) + "\"]}",
                "topic_too_long",
                "{\"type\":\"subscribe\",\"topics\":[\"a\",\"b\",\"c\",\"d\"]}",
                "too_many_topics",
                "{\"action\":\"ping\",\"pad\":\"" + "x".repeat(3000) + "\"}",
                "frame_too_large");
        try (var client = gateway.connect("mallory");
                var bystander = gateway.connect("trent")) {
            for (var entry : bad.entrySet()) {
                client.send(entry.getKey());

                var error = client.next("error");
                assertThat(error.path("code").asText()).as(entry.getKey()).isEqualTo(entry.getValue());
                assertThat(error.path("message").asText()).isNotBlank();
            }
            client.sendBinary(new byte[] {1, 2, 3});
            assertThat(client.next("error").path("code").asText()).isEqualTo("binary_not_supported");

            assertThat(client.pingForConnectionId()).isNotBlank();
            assertThat(bystander.pingForConnectionId()).isNotBlank();
            assertThat(metrics()).containsPattern("switchboard_errors_total\\{code=\"invalid_json\",?} [1-9]");
        }
    }

    @Test
    void managementAndMetricsAreNotOnThePublicSocket() throws Exception {
        var http = HttpClient.newHttpClient();
        var response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.server.port() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("switchboard_");
        assertThat(get("/metrics").body()).as("where they are").contains("switchboard_");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").body()).startsWith("{\"status\":\"UP\"");
        assertThat(get("/health/live").body()).startsWith("{\"status\":\"UP\"");
    }

    private String metrics() throws Exception {
        return gateway.metrics();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(gateway.management().resolve(path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private Message receive(String queueUrl, String containing) {
        var found = new Message[1];
        Await.until(
                "a message containing " + containing,
                DEADLINE,
                () -> gateway.emulators
                        .sqsClient()
                        .receiveMessage(b -> b.queueUrl(queueUrl)
                                .waitTimeSeconds(1)
                                .maxNumberOfMessages(10)
                                .messageAttributeNames("All"))
                        .messages(),
                messages -> {
                    for (var m : messages) {
                        if (m.body().contains(containing) && found[0] == null) {
                            found[0] = m;
                        } else { // another test's: back on the queue at once
                            gateway.emulators.sqsClient().changeMessageVisibility(b -> b.queueUrl(queueUrl)
                                    .receiptHandle(m.receiptHandle())
                                    .visibilityTimeout(0));
                        }
                    }
                    return found[0] != null;
                });
        return found[0];
    }
}
