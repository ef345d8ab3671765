package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.access.Admission;
import dev.switchboard.app.access.TopicRules;
import dev.switchboard.app.outputs.Outputs.PresenceTarget;
import dev.switchboard.settings.SettingsContract;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.ConfigSources;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {
    private static final Map<String, String> MINIMAL = Map.of("AUTH_JWKS_URI", "https://issuer.example.com/jwks.json");

    @Test
    void everyDefaultIsPinned() {
        var settings = GatewaySettings.from(GatewayFixture.config(MINIMAL));

        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.managementHost()).isEqualTo("0.0.0.0");
        assertThat(settings.managementPort()).isEqualTo(8081);
        assertThat(settings.managementUrl()).isEmpty();
        assertThat(settings.advertisedUrl(8081).getPort()).isEqualTo(8081);
        assertThat(settings.nodeId()).isNotBlank();
        assertThat(settings.auth().audiences()).isEmpty();
        assertThat(settings.auth().verifyExpiration()).isTrue();
        assertThat(settings.auth().userClaim()).isEqualTo("sub");
        assertThat(settings.table()).isEqualTo("switchboard-connections");
        assertThat(settings.index()).isEqualTo("sk-index");
        assertThat(settings.keptClaims()).isEmpty();
        assertThat(settings.messagesQueueUrl()).isEmpty();
        assertThat(settings.messagesTopicArn()).isEmpty();
        assertThat(settings.presenceTarget()).isEqualTo(PresenceTarget.TOPIC);
        assertThat(settings.source()).isEqualTo("switchboard");
        assertThat(settings.maxFrameBytes()).isEqualTo(131_072);
        assertThat(settings.maxTopics()).isEqualTo(100);
        assertThat(settings.maxTopicLength()).isEqualTo(256);
        assertThat(settings.ratePerSecond()).isEqualTo(50);
        assertThat(settings.rateBurst()).isEqualTo(100);
        assertThat(settings.abuseThreshold()).isEqualTo(500);
        assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.nodeLease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.sweepInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.topicsCache()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.shutdownDelay()).isEqualTo(Duration.ZERO);
        assertThat(settings.shutdownDeadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.origins()).isEmpty();
        assertThat(settings.nio()).isFalse();
        assertThat(settings.outboundMaxBytes()).isEqualTo(1_048_576);
        assertThat(settings.outboundStall()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.closeGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.relayMaxBytes()).isEqualTo(67_108_864);
        assertThat(settings.topicRules().rules()).isEqualTo(TopicRules.parse(TopicRules.DEFAULT));
        assertThat(settings.topicRules().grantClaim()).isEmpty();
        assertThat(settings.auth().clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.admission()).isEqualTo(new Admission.Limits(0, 0, 20, 0));
        assertThat(settings.topicsCached()).isEqualTo(10_000);
        assertThat(settings.notificationsQueueUrl()).isEmpty();
        assertThat(settings.readyFile()).isEmpty();
    }

    @Test
    void everyKeyIsDocumentedReadAndReachedByItsVariable() {
        var contract = SettingsContract.of(GatewaySettings::from, GatewaySettings.DEFAULTS_FILES.toArray(String[]::new))
                .environment("AUTH_JWKS_URI", "https://issuer.example.com/jwks.json")
                .environment("NODE_ID", "gateway-1")
                .alternative("MANAGEMENT_URL", "http://10.0.0.5:8081")
                .alternative("NODE_ID", "gateway-2")
                .alternative("AUTH_JWKS_URI", "https://other.example.com/jwks.json")
                .alternative(
                        "AUTH_HMAC_SECRET",
                        Map.of("AUTH_HMAC_SECRET", "a-development-secret-of-32-bytes!!", "AUTH_JWKS_URI", ""))
                .alternative("AUTH_AUDIENCES", "web,mobile")
                .alternative("AUTH_ISSUER", "https://issuer.example.com/")
                .alternative("CONNECTIONS_CLAIMS", "email")
                .alternative("NOTIFICATIONS_QUEUE_URL", "http://q/notifications")
                .alternative("MESSAGES_QUEUE_URL", "http://q/messages")
                .alternative("MESSAGES_TOPIC_ARN", "arn:aws:sns:us-east-1:1:t")
                .alternative("PRESENCE_TARGET", "queue")
                .alternative("WS_ORIGINS", "https://app.example.com")
                .alternative("TOPICS_RULES", "[{\"pattern\":\"*\",\"subscribe\":true}]")
                .alternative("TOPICS_GRANT_CLAIM", "topics")
                .alternative("READY_FILE", "/tmp/ready")
                .documentedIn(Path.of("../docs/configuration.md"), "gateway");

        assertThat(contract.problems()).isEmpty();
    }

    @Test
    void topicRulesComeAsJsonInTheEnvironmentOrAsAYamlList() {
        var fromEnvironment = GatewaySettings.from(GatewayFixture.config(Map.of(
                "AUTH_JWKS_URI", "https://x/jwks",
                "TOPICS_RULES", "[{\"pattern\":\"news\",\"subscribe\":true,\"publishRate\":2.5}]",
                "TOPICS_GRANT_CLAIM", "topics")));
        assertThat(fromEnvironment.topicRules().rules()).containsExactly(new TopicRules.Rule("news", true, false, 2.5));
        assertThat(fromEnvironment.topicRules().grantClaim()).contains("topics");

        var yaml = """
                auth:
                  jwks:
                    uri: "https://x/jwks"
                topics:
                  rules:
                    - { pattern: "user:{sub}", subscribe: true, publish: true }
                    - { pattern: "news", subscribe: true, publish: false }
                    - { pattern: "room:{claim.rooms}", subscribe: true, publish: true, publishRate: 5 }
                    - pattern: "*"
                      subscribe: false
                  grant:
                    claim: "topics"
                """; // README's locked-down example
        var fromYaml =
                GatewaySettings.from(GatewaySettings.config(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML)));
        assertThat(fromYaml.topicRules().rules())
                .containsExactly(
                        new TopicRules.Rule("user:{sub}", true, true, 0),
                        new TopicRules.Rule("news", true, false, 0),
                        new TopicRules.Rule("room:{claim.rooms}", true, true, 5),
                        new TopicRules.Rule("*", false, false, 0));
        assertThat(fromYaml.topicRules().grantClaim()).contains("topics");
    }

    @Test
    void eachOperatorEnvironmentNameReachesItsKey() {
        var settings = GatewaySettings.from(GatewayFixture.config(Map.ofEntries(
                Map.entry("SERVER_PORT", "9000"),
                Map.entry("MANAGEMENT_PORT", "9001"),
                Map.entry("MANAGEMENT_URL", "http://10.0.0.5:9001"),
                Map.entry("NODE_ID", "gw-1"),
                Map.entry("AUTH_JWKS_URI", "https://issuer.example.com/jwks.json"),
                Map.entry("AUTH_AUDIENCES", "web,mobile"),
                Map.entry("AUTH_ISSUER", "https://issuer.example.com/"),
                Map.entry("AUTH_VERIFY_EXPIRATION", "false"),
                Map.entry("CONNECTIONS_TABLE", "t"),
                Map.entry("MESSAGES_QUEUE_URL", "http://q"),
                Map.entry("MESSAGES_TOPIC_ARN", "arn:aws:sns:us-east-1:1:t"),
                Map.entry("PRESENCE_TARGET", "queue"),
                Map.entry("LIMITS_FRAME_BYTES", "4096"),
                Map.entry("SHUTDOWN_DELAY", "PT5S"),
                Map.entry("SHUTDOWN_DEADLINE", "PT40S"),
                Map.entry("WS_ORIGINS", "https://app.example.com, http://localhost:5173"),
                Map.entry("SERVER_NIO", "true"),
                Map.entry("OUTBOUND_MAX_BYTES", "2097152"),
                Map.entry("OUTBOUND_STALL", "PT3S"),
                Map.entry("CLOSE_GRACE", "PT1S"),
                Map.entry("TOPICS_RELAY_MAX_BYTES", "1048576"),
                Map.entry("AUTH_CLOCK_SKEW", "PT5S"))));

        assertThat(settings.port()).isEqualTo(9000);
        assertThat(settings.managementPort()).isEqualTo(9001);
        assertThat(settings.managementUrl()).contains(URI.create("http://10.0.0.5:9001"));
        assertThat(settings.advertisedUrl(9001)).isEqualTo(URI.create("http://10.0.0.5:9001"));
        assertThat(settings.nodeId()).isEqualTo("gw-1");
        assertThat(settings.auth().audiences()).isEqualTo(List.of("web", "mobile"));
        assertThat(settings.auth().issuer()).isEqualTo(Optional.of("https://issuer.example.com/"));
        assertThat(settings.auth().verifyExpiration()).isFalse();
        assertThat(settings.auth().clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.table()).isEqualTo("t");
        assertThat(settings.messagesQueueUrl()).contains("http://q");
        assertThat(settings.messagesTopicArn()).contains("arn:aws:sns:us-east-1:1:t");
        assertThat(settings.presenceTarget()).isEqualTo(PresenceTarget.QUEUE);
        assertThat(settings.maxFrameBytes()).isEqualTo(4096);
        assertThat(settings.shutdownDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.shutdownDeadline()).isEqualTo(Duration.ofSeconds(40));
        assertThat(settings.origins()).containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(settings.nio()).isTrue();
        assertThat(settings.outboundMaxBytes()).isEqualTo(2_097_152);
        assertThat(settings.outboundStall()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.closeGrace()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.relayMaxBytes()).isEqualTo(1_048_576);
    }

    @Test
    void anHmacSecretReplacesTheJwksForDevelopment() {
        var settings = GatewaySettings.from(
                GatewayFixture.config(Map.of("AUTH_HMAC_SECRET", "a-development-secret-of-32-bytes!!")));

        assertThat(settings.auth().hmacSecret()).isPresent();
    }

    /** The minimal settings with one more. */
    private static Map<String, String> with(String name, String value) {
        return Map.of("AUTH_JWKS_URI", "https://x/jwks", name, value);
    }

    @Test
    void badSettingsNameTheirKey() {
        assertThatThrownBy(() -> GatewaySettings.from(GatewayFixture.config(Map.of())))
                .hasMessageContaining("AUTH_JWKS_URI");
        assertThatThrownBy(() -> GatewaySettings.from(
                        GatewayFixture.config(Map.of("AUTH_JWKS_URI", "https://x/jwks", "SERVER_PORT", "eighty"))))
                .hasMessageContaining("server.port");
        assertThatThrownBy(() -> GatewaySettings.from(GatewayFixture.config(
                        Map.of("AUTH_JWKS_URI", "https://x/jwks", "PRESENCE_TARGET", "carrier-pigeon"))))
                .hasMessageContaining("presence.target");
        assertThatThrownBy(() -> GatewaySettings.from(GatewayFixture.config(
                        Map.of("AUTH_JWKS_URI", "https://x/jwks", "WS_ORIGINS", "https://app.example.com/page"))))
                .hasMessageContaining("ws.origins");
        assertThatThrownBy(() -> GatewaySettings.from(
                        GatewayFixture.config(Map.of("AUTH_JWKS_URI", "https://x/jwks", "OUTBOUND_MAX_BYTES", "1024"))))
                .as("below the frame limit")
                .hasMessageContaining("outbound.max.bytes");
        assertThatThrownBy(() -> GatewaySettings.from(
                        GatewayFixture.config(Map.of("AUTH_JWKS_URI", "https://x/jwks", "OUTBOUND_STALL", "PT0S"))))
                .hasMessageContaining("outbound.stall");
        for (var zero : List.of("NODE_HEARTBEAT", "NODE_LEASE", "NODE_SWEEP", "LIVENESS_PING", "SHUTDOWN_DEADLINE")) {
            assertThatThrownBy(() -> GatewaySettings.from(GatewayFixture.config(with(zero, "PT0S"))))
                    .as(zero)
                    .hasMessageContaining("(" + zero + ") is PT0S; it must lie between PT0.01S and");
        }
        assertThatThrownBy(() -> GatewaySettings.from(GatewayFixture.config(with("LIMITS_RATE", "0"))))
                .hasMessageContaining("(LIMITS_RATE) is 0.0; it must lie between 0.001 and");
        assertThatThrownBy(() -> GatewaySettings.from(GatewayFixture.config(with("LIMITS_BURST", "NaN"))))
                .hasMessageContaining("LIMITS_BURST");
        assertThat(GatewaySettings.from(GatewayFixture.config(with("TOPICS_CACHE", "PT0S")))
                        .topicsCache())
                .as("no cache is a valid choice")
                .isZero();
        assertThatThrownBy(() -> GatewaySettings.from(GatewayFixture.config(
                        Map.of("AUTH_JWKS_URI", "https://x/jwks", "TOPICS_RULES", "[{\"pattern\":\"a\",\"sub\":1}]"))))
                .hasMessageContaining("topics.rules (TOPICS_RULES)")
                .hasMessageContaining("unknown field sub");
    }
}
