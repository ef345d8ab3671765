package dev.switchboard.app.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicRulesTest {
    private static TopicAccess access(String rules, Map<String, Object> claims) {
        return new TopicRules(TopicRules.parse(rules), Optional.of("topics")).forToken("alice", claims);
    }

    @Test
    void theDefaultKeepsPlainRoomsOpenAndNamespacedTopicsClosed() {
        var alice = new TopicRules(TopicRules.parse(TopicRules.DEFAULT), Optional.empty()).forToken("alice", Map.of());

        assertThat(alice.maySubscribe("my-yjs-room")).as("a y-webrtc room").isTrue();
        assertThat(alice.publish("my-yjs-room")).isEqualTo(TopicAccess.Publish.ALLOWED);
        assertThat(alice.maySubscribe("user:alice")).as("her own channel").isTrue();
        assertThat(alice.publish("user:alice")).as("where backends reach her").isEqualTo(TopicAccess.Publish.FORBIDDEN);
        assertThat(alice.maySubscribe("user:bob")).as("someone else's").isFalse();
        assertThat(alice.maySubscribe("admin:room")).as("another namespace").isFalse();
        assertThat(alice.publish("admin:room")).isEqualTo(TopicAccess.Publish.FORBIDDEN);
        assertThat(alice.mayJoin("my-yjs-room"))
                .as("presence in rooms, for clients that ask")
                .isTrue();
        assertThat(alice.mayJoin("user:alice")).as("not in a private channel").isFalse();
        assertThat(alice.mayJoin("admin:room")).isFalse();
    }

    @Test
    void firstMatchWinsAndNoMatchIsRefused() {
        var alice = access(
                "[{\"pattern\":\"news\",\"subscribe\":true,\"publish\":false},"
                        + "{\"pattern\":\"news\",\"subscribe\":false,\"publish\":true},"
                        + "{\"pattern\":\"a*c\",\"subscribe\":true}]",
                Map.of());

        assertThat(alice.maySubscribe("news")).isTrue();
        assertThat(alice.publish("news")).as("the first rule said no").isEqualTo(TopicAccess.Publish.FORBIDDEN);
        assertThat(alice.maySubscribe("abbbc")).isTrue();
        assertThat(alice.maySubscribe("ac")).as("* may match nothing").isTrue();
        assertThat(alice.maySubscribe("abcd")).as("the whole topic must match").isFalse();
        assertThat(alice.maySubscribe("other")).as("no rule").isFalse();
    }

    @Test
    void placeholdersTakeTheTokensClaimsAsLiteralText() {
        var rules = "[{\"pattern\":\"user:{sub}\",\"subscribe\":true,\"publish\":true},"
                + "{\"pattern\":\"room:{claim.rooms}:*\",\"subscribe\":true},"
                + "{\"pattern\":\"org:{claim.org}\",\"subscribe\":true}]";
        var alice = access(rules, Map.of("rooms", List.of("a", "b"), "org", "*"));

        assertThat(alice.maySubscribe("user:alice")).isTrue();
        assertThat(alice.maySubscribe("user:bob")).isFalse();
        assertThat(alice.maySubscribe("room:a:chat"))
                .as("each value of a list claim")
                .isTrue();
        assertThat(alice.maySubscribe("room:b:video")).isTrue();
        assertThat(alice.maySubscribe("room:c:chat")).isFalse();
        assertThat(alice.maySubscribe("org:*")).as("a * in a claim is a *").isTrue();
        assertThat(alice.maySubscribe("org:acme")).as("not a wildcard").isFalse();

        var withoutClaims = access(rules, Map.of());
        assertThat(withoutClaims.maySubscribe("room:a:chat"))
                .as("a missing claim matches nothing")
                .isFalse();
    }

    @Test
    void aTokenGrantAllowsWhatTheRulesRefuse() {
        var alice = access("[{\"pattern\":\"*\",\"subscribe\":false}]", Map.of("topics", List.of("team-*", "exact")));

        assertThat(alice.maySubscribe("team-blue")).isTrue();
        assertThat(alice.publish("team-blue")).isEqualTo(TopicAccess.Publish.ALLOWED);
        assertThat(alice.maySubscribe("exact")).isTrue();
        assertThat(alice.maySubscribe("exactly")).isFalse();
        assertThat(alice.maySubscribe("other")).isFalse();
    }

    @Test
    void aPublishRateLimitsEachTopicOnItsOwn() {
        var alice =
                access("[{\"pattern\":\"chat-*\",\"subscribe\":true,\"publish\":true,\"publishRate\":0.01}]", Map.of());

        assertThat(alice.publish("chat-1")).isEqualTo(TopicAccess.Publish.ALLOWED);
        assertThat(alice.publish("chat-1")).isEqualTo(TopicAccess.Publish.RATE_LIMITED);
        assertThat(alice.publish("chat-2")).as("another topic, its own bucket").isEqualTo(TopicAccess.Publish.ALLOWED);
    }

    @Test
    void badRulesAreRefusedSayingWhy() {
        assertThatThrownBy(() -> TopicRules.parse("{}")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> TopicRules.parse("[{\"subscribe\":true}]")).hasMessageContaining("pattern");
        assertThatThrownBy(() -> TopicRules.parse("[{\"pattern\":\"a\",\"subscribe\":\"yes\"}]"))
                .hasMessageContaining("subscribe must be true or false");
        assertThatThrownBy(() -> TopicRules.parse("[{\"pattern\":\"a\",\"presense\":true}]"))
                .hasMessageContaining("unknown field presense");
        assertThatThrownBy(() -> TopicRules.parse("[{\"pattern\":\"u:{user}\"}]"))
                .hasMessageContaining("unknown placeholder {user}");
        assertThatThrownBy(() -> TopicRules.parse("[{\"pattern\":\"u:{sub\"}]")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> TopicRules.parse("[{\"pattern\":\"a\",\"publishRate\":-1}]"))
                .hasMessageContaining("publishRate");
        assertThatThrownBy(() -> TopicRules.parse("not json")).hasMessageContaining("not JSON");
    }

    @Test
    void aTopicsHistoryIsItsFirstMatchingRulesWhoeverAsks() {
        var rules = new TopicRules(
                TopicRules.parse("[{\"pattern\":\"room:{claim.rooms}\",\"subscribe\":true,\"history\":50,"
                        + "\"historyTtl\":\"PT10M\"},{\"pattern\":\"room:*\",\"subscribe\":true,\"history\":5},"
                        + "{\"pattern\":\"*\",\"subscribe\":true}]"),
                Optional.empty());

        assertThat(rules.historyOf("room:lobby"))
                .as("a placeholder stands for any claim: the topic's own settings")
                .contains(new TopicRules.History(50, java.time.Duration.ofMinutes(10)));
        assertThat(rules.historyOf("chat")).isEmpty();
        assertThatThrownBy(() -> TopicRules.parse("[{\"pattern\":\"a\",\"history\":-1}]"))
                .hasMessageContaining("history");
        assertThatThrownBy(() -> TopicRules.parse("[{\"pattern\":\"a\",\"history\":4294967301}]"))
                .as("2^32 + 5 is not 5")
                .hasMessageContaining("history");
        assertThatThrownBy(() -> TopicRules.parse("[{\"pattern\":\"a\",\"history\":5,\"historyTtl\":\"an hour\"}]"))
                .hasMessageContaining("ISO-8601");
        assertThat(TopicRules.parse("[{\"pattern\":\"a\",\"history\":5}]")
                        .getFirst()
                        .historyTtl())
                .isEqualTo(TopicRules.DEFAULT_HISTORY_TTL);
    }
}
