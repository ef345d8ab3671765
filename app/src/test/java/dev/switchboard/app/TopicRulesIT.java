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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's topic rules on a running gateway, as README's locked-down example configures them: private {@code
 * user:{sub}} topics, a read-only {@code news}, rooms by a token claim, a rate-limited topic, and a token's own grant;
 * and the default rules of a gateway that sets none.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicRulesIT {
    static final String LOCKED_DOWN = "[{\"pattern\":\"user:{sub}\",\"subscribe\":true,\"publish\":true},"
            + "{\"pattern\":\"news\",\"subscribe\":true,\"publish\":false},"
            + "{\"pattern\":\"room:{claim.rooms}\",\"subscribe\":true,\"publish\":true},"
            + "{\"pattern\":\"slow-*\",\"subscribe\":true,\"publish\":true,\"publishRate\":0.01},"
            + "{\"pattern\":\"*\",\"subscribe\":false}]";

    private Emulators emulators;
    private GatewayFixture lockedDown;
    private GatewayFixture defaults;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        this.emulators = emulators;
        lockedDown = new GatewayFixture(
                emulators,
                names,
                Map.of("PRESENCE_TARGET", "none", "TOPICS_RULES", LOCKED_DOWN, "TOPICS_GRANT_CLAIM", "topics"));
        defaults = new GatewayFixture(emulators, names, Map.of("PRESENCE_TARGET", "none"));
    }

    @AfterAll
    void stop() {
        lockedDown.close();
        defaults.close();
    }

    private TestClient connect(GatewayFixture gateway, String user, Map<String, Object> claims) {
        var issuer = emulators.issuer();
        var builder = issuer.claims(user, "switchboard");
        claims.forEach(builder::claim);
        return TestClient.connect(gateway.ws(issuer.sign(builder.build())));
    }

    /** The error frames that arrive before the answer to a ping (frames are answered in order). */
    private static List<JsonNode> errorsUntilPong(TestClient client) throws Exception {
        client.send("{\"action\":\"ping\"}");
        var errors = new ArrayList<JsonNode>();
        for (var frame = client.next(); !"pong".equals(frame.path("type").asText()); frame = client.next()) {
            if ("error".equals(frame.path("type").asText())) {
                errors.add(frame);
            }
        }
        return errors;
    }

    private static List<String> forbiddenTopics(List<JsonNode> errors) {
        assertThat(errors).allSatisfy(e -> assertThat(e.path("code").asText()).isEqualTo("forbidden"));
        return errors.stream().map(e -> e.path("topic").asText()).toList();
    }

    @Test
    void aRefusedTopicIsToldOnItsOwnAndTheOthersOfTheSameSubscribeTakeEffect() throws Exception {
        try (var alice = connect(lockedDown, "alice", Map.of("rooms", List.of("r1", "r2")));
                var bob = connect(lockedDown, "bob", Map.of("rooms", List.of("r1")))) {
            alice.send("{\"type\":\"subscribe\",\"topics\":[\"user:alice\",\"user:bob\",\"news\",\"room:r1\","
                    + "\"room:r3\",\"other\",\"other\"]}");

            assertThat(forbiddenTopics(errorsUntilPong(alice)))
                    .as("someone else's channel, a room not in her claim, no rule (told once)")
                    .containsExactly("user:bob", "room:r3", "other");
            assertThat(alice.closed()).isNotDone();

            bob.send("{\"type\":\"subscribe\",\"topics\":[\"room:r1\"]}");
            assertThat(errorsUntilPong(bob)).isEmpty();
            var frame = publishAndReceive(bob, alice, "room:r1");
            assertThat(frame.path("data").asText()).isEqualTo("hello room:r1");
        }
    }

    private static JsonNode publishAndReceive(TestClient from, TestClient to, String topic) throws Exception {
        from.send("{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"data\":\"hello " + topic + "\"}");
        return to.next("publish");
    }

    @Test
    void aReadOnlyTopicRefusesClientPublishesAndAPrivateTopicTakesItsOwnersOnly() throws Exception {
        try (var carol = connect(lockedDown, "carol", Map.of());
                var dave = connect(lockedDown, "dave", Map.of())) {
            carol.send("{\"type\":\"subscribe\",\"topics\":[\"news\",\"user:carol\"]}");
            dave.send("{\"type\":\"subscribe\",\"topics\":[\"news\"]}");
            assertThat(errorsUntilPong(carol)).isEmpty();
            assertThat(errorsUntilPong(dave)).isEmpty();

            dave.send("{\"type\":\"publish\",\"topic\":\"news\",\"data\":\"fake news\"}");
            var refused = dave.next("error");
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            assertThat(refused.path("topic").asText()).isEqualTo("news");
            dave.send("{\"type\":\"publish\",\"topic\":\"user:carol\",\"data\":\"psst\"}");
            assertThat(dave.next("error").path("topic").asText()).isEqualTo("user:carol");
            assertThat(carol.receivesWithin(Duration.ofMillis(300)))
                    .as("nothing refused reached a subscriber")
                    .isFalse();

            var own = publishAndReceive(carol, carol, "user:carol");
            assertThat(own.path("topic").asText())
                    .as("her own channel, publish allowed by the rule")
                    .isEqualTo("user:carol");
            assertThat(dave.closed()).isNotDone();
        }
    }

    @Test
    void aTokensGrantOpensWhatTheRulesRefuse() throws Exception {
        try (var erin = connect(lockedDown, "erin", Map.of("topics", List.of("team-*")));
                var frank = connect(lockedDown, "frank", Map.of())) {
            erin.send("{\"type\":\"subscribe\",\"topics\":[\"team-blue\",\"teams\"]}");
            frank.send("{\"type\":\"subscribe\",\"topics\":[\"team-blue\"]}");

            assertThat(forbiddenTopics(errorsUntilPong(erin))).containsExactly("teams");
            assertThat(forbiddenTopics(errorsUntilPong(frank))).containsExactly("team-blue");
            assertThat(publishAndReceive(erin, erin, "team-blue").path("topic").asText())
                    .isEqualTo("team-blue");
        }
    }

    @Test
    void aPublishOverItsTopicsRateIsDroppedAndTold() throws Exception {
        try (var grace = connect(lockedDown, "grace", Map.of());
                var heidi = connect(lockedDown, "heidi", Map.of())) {
            heidi.send("{\"type\":\"subscribe\",\"topics\":[\"slow-lane\",\"slow-other\"]}");
            assertThat(errorsUntilPong(heidi)).isEmpty();

            assertThat(publishAndReceive(grace, heidi, "slow-lane").path("data").asText())
                    .isEqualTo("hello slow-lane");
            grace.send("{\"type\":\"publish\",\"topic\":\"slow-lane\",\"data\":\"again\"}");
            var limited = grace.next("error");
            assertThat(limited.path("code").asText()).isEqualTo("rate_limited");
            assertThat(limited.path("topic").asText()).isEqualTo("slow-lane");
            assertThat(heidi.receivesWithin(Duration.ofMillis(300))).isFalse();
            assertThat(publishAndReceive(grace, heidi, "slow-other")
                            .path("data")
                            .asText())
                    .as("another topic of the same rule has its own bucket")
                    .isEqualTo("hello slow-other");
        }
    }

    @Test
    void theDefaultRulesKeepRoomsOpenAndUserTopicsPrivate() throws Exception {
        try (var ivan = connect(defaults, "ivan", Map.of());
                var judy = connect(defaults, "judy", Map.of())) {
            ivan.send("{\"type\":\"subscribe\",\"topics\":[\"my-room\",\"user:ivan\",\"user:judy\",\"admin:x\"]}");
            judy.send("{\"type\":\"subscribe\",\"topics\":[\"my-room\"]}");

            assertThat(forbiddenTopics(errorsUntilPong(ivan))).containsExactly("user:judy", "admin:x");
            assertThat(errorsUntilPong(judy)).isEmpty();
            assertThat(publishAndReceive(judy, ivan, "my-room").path("data").asText())
                    .isEqualTo("hello my-room");
            ivan.send("{\"type\":\"publish\",\"topic\":\"user:ivan\",\"data\":\"x\"}");
            assertThat(ivan.next("error").path("code").asText())
                    .as("a user's own topic is where backends reach it, not for clients to publish")
                    .isEqualTo("forbidden");
        }
    }
}
