package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Presence per topic across two nodes: a user joins with its first member connection, on whichever node, and
 * leaves with its last; members see join and leave, and ask who is there, in pages.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicPresenceIT {
    private static final String RULES = "[{\"pattern\":\"quiet-*\",\"subscribe\":true,\"publish\":true},"
            + "{\"pattern\":\"*\",\"subscribe\":true,\"publish\":true,\"presence\":true}]";

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

    private static void join(TestClient client, String topic) throws Exception {
        client.send("{\"type\":\"subscribe\",\"topics\":[\"" + topic + "\"],\"presence\":true}");
    }

    /** The next join or leave frame (publishes and others skipped). */
    private static JsonNode nextChange(TestClient client) throws Exception {
        while (true) {
            var frame = client.next();
            var type = frame.path("type").asText();
            if (type.equals("join") || type.equals("leave")) {
                return frame;
            }
        }
    }

    private static String change(JsonNode frame) {
        return frame.path("type").asText() + " " + frame.path("user").asText() + " "
                + frame.path("topic").asText();
    }

    /** Every page of the topic's members, asked {@code limit} at a time: user → connections. */
    private static Map<String, Integer> members(TestClient client, String topic, int limit) throws Exception {
        var members = new java.util.TreeMap<String, Integer>();
        String cursor = null;
        do {
            client.send("{\"type\":\"presence\",\"topic\":\"" + topic + "\",\"limit\":" + limit
                    + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}");
            var page = client.next("presence");
            assertThat(page.path("topic").asText()).isEqualTo(topic);
            assertThat(page.path("members").size()).isLessThanOrEqualTo(limit);
            page.path("members")
                    .forEach(m -> members.put(
                            m.path("user").asText(), m.path("connections").asInt()));
            cursor = page.has("cursor") ? page.path("cursor").asText() : null;
        } while (cursor != null);
        return members;
    }

    @Test
    void aUserWithTwoConnectionsOnTwoNodesJoinsOnceAndLeavesWithTheLast() throws Exception {
        try (var watcher = a.connect("watcher")) {
            join(watcher, "room");
            assertThat(change(nextChange(watcher)))
                    .as("a member sees its own join")
                    .isEqualTo("join watcher room");

            var onA = a.connect("quinn");
            var onB = b.connect("quinn");
            join(onB, "room");
            assertThat(change(nextChange(watcher))).as("from the other node").isEqualTo("join quinn room");
            join(onA, "room"); // her second: no join (the watcher's next change below is her leave)
            onA.pingForConnectionId();

            var seen = members(onB, "room", 1);
            assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of("watcher", 1, "quinn", 2));

            onB.close();
            assertThat(watcher.receivesWithin(Duration.ofMillis(500)))
                    .as("quinn is still there on the other node")
                    .isFalse();
            onA.close();
            assertThat(change(nextChange(watcher))).isEqualTo("leave quinn room");
            assertThat(members(watcher, "room", 10)).containsExactlyInAnyOrderEntriesOf(Map.of("watcher", 1));
        }
    }

    @Test
    void unsubscribingLeavesAndOnlyMembersHearOfIt() throws Exception {
        try (var member = b.connect("rita");
                var lurker = a.connect("sam");
                var other = a.connect("tess")) {
            join(member, "lobby");
            assertThat(change(nextChange(member))).isEqualTo("join rita lobby");
            lurker.send("{\"type\":\"subscribe\",\"topics\":[\"lobby\"]}"); // no presence: sees nothing of it
            lurker.pingForConnectionId();

            join(other, "lobby");
            assertThat(change(nextChange(member))).isEqualTo("join tess lobby");
            other.send("{\"type\":\"unsubscribe\",\"topics\":[\"lobby\"]}");
            assertThat(change(nextChange(member))).isEqualTo("leave tess lobby");

            var frames = new ArrayList<String>();
            while (lurker.receivesWithin(Duration.ofMillis(300))) {
                frames.add("one");
            }
            assertThat(frames)
                    .as("a subscriber without presence gets no join or leave")
                    .isEmpty();
        }
    }

    @Test
    void presenceWhereTheRulesDoNotAllowItIsRefusedAndTheSubscriptionStands() throws Exception {
        try (var client = a.connect("uma");
                var other = a.connect("vic")) {
            join(client, "quiet-room");
            var refused = client.next("error");
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            assertThat(refused.path("topic").asText()).isEqualTo("quiet-room");

            client.send("{\"type\":\"presence\",\"topic\":\"quiet-room\"}");
            assertThat(client.next("error").path("code").asText()).isEqualTo("forbidden");

            other.send("{\"type\":\"subscribe\",\"topics\":[\"quiet-room\"]}");
            other.pingForConnectionId();
            other.send("{\"type\":\"publish\",\"topic\":\"quiet-room\",\"data\":\"still subscribed\"}");
            assertThat(client.next("publish").path("data").asText()).isEqualTo("still subscribed");
            client.send("{\"type\":\"presence\",\"topic\":\"room\",\"limit\":0}");
            assertThat(client.next("error").path("code").asText()).isEqualTo("invalid_field");
        }
    }
}
