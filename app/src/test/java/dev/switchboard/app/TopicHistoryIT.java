package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Topic history and recovery across two nodes. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicHistoryIT {
    private static final String RULES = "[{\"pattern\":\"chat-*\",\"subscribe\":true,\"publish\":true,\"history\":100,"
            + "\"historyTtl\":\"PT1H\"},"
            + "{\"pattern\":\"short-*\",\"subscribe\":true,\"publish\":true,\"history\":3},"
            + "{\"pattern\":\"secret-*\",\"subscribe\":false,\"history\":10},"
            + "{\"pattern\":\"*\",\"subscribe\":true,\"publish\":true}]";

    private GatewayFixture a;
    private GatewayFixture b;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        var settings = Map.of("PRESENCE_TARGET", "none", "TOPICS_RULES", RULES, "TOPICS_CACHE", "PT0.1S");
        a = new GatewayFixture(emulators, names, settings);
        b = new GatewayFixture(emulators, names, settings, a);
    }

    @AfterAll
    void stop() {
        a.close();
        b.close();
    }

    private static void subscribe(TestClient client, String topic) throws Exception {
        client.send("{\"type\":\"subscribe\",\"topics\":[\"" + topic + "\"]}");
        client.pingForConnectionId();
    }

    private static void publish(TestClient client, String topic, String data) {
        client.send("{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"data\":\"" + data + "\"}");
    }

    private static JsonNode history(TestClient client, String topic, int limit) throws Exception {
        client.send("{\"type\":\"history\",\"topic\":\"" + topic + "\",\"limit\":" + limit + "}");
        return client.next("history");
    }

    private static List<Long> offsets(JsonNode messages) {
        var offsets = new ArrayList<Long>();
        messages.forEach(m -> offsets.add(m.path("offset").asLong()));
        return offsets;
    }

    @Test
    void concurrentPublishersOnTwoNodesMakeOneOrderedHistory() throws Exception {
        var publishers = new ArrayList<TestClient>();
        for (var i = 0; i < 4; i++) {
            publishers.add((i % 2 == 0 ? a : b).connect("writer-" + i));
        }
        try (var reader = b.connect("reader");
                var pool = Executors.newFixedThreadPool(4)) {
            subscribe(reader, "chat-busy");
            var sent = new ArrayList<Future<?>>();
            for (var i = 0; i < 4; i++) {
                var client = publishers.get(i);
                var writer = i;
                sent.add(pool.submit(() -> {
                    for (var n = 0; n < 10; n++) {
                        publish(client, "chat-busy", "w" + writer + "-" + n);
                    }
                    client.pingForConnectionId();
                    return null;
                }));
            }
            for (var future : sent) {
                future.get();
            }
            var live = new ArrayList<Long>();
            for (var n = 0; n < 40; n++) {
                var frame = reader.next("publish");
                assertThat(frame.path("epoch").asText()).isNotBlank();
                live.add(frame.path("offset").asLong());
            }

            var kept = history(reader, "chat-busy", 100);
            assertThat(offsets(kept.path("messages")))
                    .as("offsets strictly increasing, none twice, none missing")
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, 40).boxed().toList());
            assertThat(live).containsExactlyInAnyOrderElementsOf(offsets(kept.path("messages")));
            var texts = new ArrayList<String>();
            kept.path("messages").forEach(m -> texts.add(m.path("data").asText()));
            assertThat(texts).doesNotHaveDuplicates().hasSize(40);
            assertThat(kept.path("epoch").asText())
                    .isEqualTo(kept.path("messages").get(0).path("epoch").asText());
        } finally {
            publishers.forEach(TestClient::close);
        }
    }

    @Test
    void aClientThatReconnectsToTheOtherNodeGetsExactlyWhatItMissedThenLive() throws Exception {
        try (var writer = a.connect("writer")) {
            subscribe(writer, "chat-recover");
            long lastSeen;
            String epoch;
            try (var carol = a.connect("carol")) {
                subscribe(carol, "chat-recover");
                for (var n = 1; n <= 3; n++) {
                    publish(writer, "chat-recover", "m" + n);
                }
                JsonNode frame = null;
                for (var n = 1; n <= 3; n++) {
                    frame = carol.next("publish");
                }
                lastSeen = frame.path("offset").asLong();
                epoch = frame.path("epoch").asText();
            }
            for (var n = 4; n <= 6; n++) {
                publish(writer, "chat-recover", "m" + n);
            }
            writer.pingForConnectionId();

            try (var back = b.connect("carol");
                    var pool = Executors.newSingleThreadExecutor()) {
                // Others go on publishing while she subscribes: the seam must hold.
                var during = pool.submit(() -> {
                    for (var n = 7; n <= 26; n++) {
                        publish(writer, "chat-recover", "m" + n);
                    }
                    return writer.pingForConnectionId();
                });
                back.send("{\"type\":\"subscribe\",\"topics\":[\"chat-recover\"],\"since\":{\"chat-recover\":"
                        + "{\"offset\":" + lastSeen + ",\"epoch\":\"" + epoch + "\"}}}");
                var recovery = back.next("recovery");
                assertThat(recovery.path("recovered").asBoolean()).isTrue();
                assertThat(recovery.path("epoch").asText()).isEqualTo(epoch);
                during.get();

                var data = new ArrayList<String>();
                for (var n = 4; n <= 26; n++) {
                    data.add(back.next("publish").path("data").asText());
                }
                assertThat(data)
                        .as("the missed in order, then live, no gap, no duplicate at the seam")
                        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(4, 26)
                                .mapToObj(n -> "m" + n)
                                .toList());
                assertThat(back.receivesWithin(Duration.ofMillis(300)))
                        .as("nothing twice")
                        .isFalse();
            }
        }
    }

    @Test
    void anOffsetTooOldOrAnotherEpochIsNotRecoveredAndNothingIsReplayed() throws Exception {
        try (var writer = b.connect("writer-2")) {
            subscribe(writer, "short-room");
            for (var n = 1; n <= 6; n++) {
                publish(writer, "short-room", "s" + n);
            }
            JsonNode last = null;
            for (var n = 1; n <= 6; n++) {
                last = writer.next("publish");
            }
            var epoch = last.path("epoch").asText();
            assertThat(offsets(history(writer, "short-room", 100).path("messages")))
                    .as("only the last 3 are kept")
                    .containsExactly(4L, 5L, 6L);

            for (var since : List.of(
                    "{\"offset\":1,\"epoch\":\"" + epoch + "\"}", "{\"offset\":5,\"epoch\":\"not-the-epoch\"}")) {
                try (var client = a.connect("late")) {
                    client.send("{\"type\":\"subscribe\",\"topics\":[\"short-room\"],\"since\":{\"short-room\":" + since
                            + "}}");
                    var recovery = client.next("recovery");
                    assertThat(recovery.path("recovered").asBoolean()).isFalse();
                    assertThat(recovery.path("offset").asLong()).isEqualTo(6);
                    assertThat(client.receivesWithin(Duration.ofMillis(300)))
                            .as("nothing replayed")
                            .isFalse();
                }
            }
        }
    }

    @Test
    void topicsWithoutHistoryAreAsBeforeAndHistoryFollowsTheSubscribeRules() throws Exception {
        try (var client = a.connect("plain")) {
            subscribe(client, "plain-room");
            publish(client, "plain-room", "x");
            var frame = client.next("publish");
            assertThat(frame.has("offset") || frame.has("epoch"))
                    .as("y-webrtc's frame, untouched")
                    .isFalse();
            assertThat(history(client, "plain-room", 10).path("messages").size())
                    .isZero();

            client.send("{\"type\":\"history\",\"topic\":\"secret-plans\"}");
            var refused = client.next("error");
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            assertThat(refused.path("topic").asText()).isEqualTo("secret-plans");
            client.send("{\"type\":\"subscribe\",\"topics\":[\"secret-plans\"],\"since\":{\"secret-plans\":"
                    + "{\"offset\":0,\"epoch\":\"e\"}}}");
            assertThat(client.next("error").path("code").asText())
                    .as("no recovery either")
                    .isEqualTo("forbidden");
            client.send("{\"type\":\"subscribe\",\"topics\":[\"plain-room\"],\"since\":{\"plain-room\":"
                    + "{\"offset\":0,\"epoch\":\"e\"}}}");
            var recovery = client.next("recovery");
            assertThat(recovery.path("recovered").asBoolean())
                    .as("a topic that keeps nothing")
                    .isFalse();
            assertThat(client.receivesWithin(Duration.ofMillis(300))).isFalse();
        }
    }

    /** A pusher's request, as it posts it to each node holding the topic. */
    private static void deliver(GatewayFixture node, String id, String topic, String data) throws Exception {
        var body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        body.putArray("requests")
                .addObject()
                .put("id", id)
                .put("data", data)
                .putArray("topics")
                .add(topic);
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.management() + "/@deliveries"))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aBackendsNotificationToATopicWithHistoryIsKeptOnceThoughEveryNodeDeliversIt() throws Exception {
        try (var onA = a.connect("wendy");
                var onB = b.connect("xavier")) {
            subscribe(onA, "chat-news");
            subscribe(onB, "chat-news");

            deliver(a, "sqs-message-1", "chat-news", "{\"headline\":\"kept\"}");
            deliver(b, "sqs-message-1", "chat-news", "{\"headline\":\"kept\"}"); // the same request, other node

            var fromA = onA.next();
            var fromB = onB.next();
            assertThat(fromA.path("headline").asText()).isEqualTo("kept");
            assertThat(fromA.path("offset").asLong()).isEqualTo(1);
            assertThat(fromB).as("the same frame, the same offset").isEqualTo(fromA);
            var kept = history(onB, "chat-news", 10).path("messages");
            assertThat(kept.size()).as("stored once").isEqualTo(1);
            assertThat(kept.get(0)).isEqualTo(fromA);
        }
    }
}
