package dev.switchboard.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static Settings with(Map<String, String> environment) {
        return Settings.of(Settings.fromEnvironment(List.of(), environment));
    }

    @Test
    void anOutOfRangeDurationIsRefusedNamingKeyVariableAndRange() {
        var settings = with(Map.of("NODE_HEARTBEAT", "PT0S"));

        assertThatThrownBy(() -> settings.duration("node.heartbeat", Duration.ofMillis(10), Duration.ofMinutes(10)))
                .isInstanceOf(SettingsException.class)
                .hasMessage(
                        "config key node.heartbeat (NODE_HEARTBEAT) is PT0S; it must lie between PT0.01S and PT10M");
    }

    @Test
    void aNumberOutsideItsRangeOrNotANumberIsRefused() {
        var settings = with(Map.of("LIMITS_RATE", "NaN", "LIMITS_TOPICS", "x", "SERVER_PORT", "70000"));

        assertThatThrownBy(() -> settings.number("limits.rate", 0.001, 1e9))
                .hasMessageStartingWith("config key limits.rate (LIMITS_RATE) is NaN; it must lie between");
        assertThatThrownBy(() -> settings.integer("limits.topics", 1, 10))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("config key limits.topics (LIMITS_TOPICS) is missing or invalid");
        assertThatThrownBy(() -> settings.port("server.port"))
                .hasMessage("config key server.port (SERVER_PORT) is 70000; it must lie between 0 and 65535");
    }

    @Test
    void aBooleanIsTrueOrFalseAndNothingElse() {
        var settings = with(Map.of("SERVER_NIO", "TRUE", "AUTH_VERIFY_EXPIRATION", "yes"));

        assertThat(settings.bool("server.nio")).isTrue();
        assertThatThrownBy(() -> settings.bool("auth.verify.expiration"))
                .hasMessage("config key auth.verify.expiration (AUTH_VERIFY_EXPIRATION) is yes; it must be true or"
                        + " false");
    }

    @Test
    void aChoiceIsOneOfTheConstantsInAnyCase() {
        var settings = with(Map.of("PRESENCE_TARGET", "Queue", "DELIVERY_PER", "socket"));

        assertThat(settings.choice("presence.target", Target.class)).isEqualTo(Target.QUEUE);
        assertThatThrownBy(() -> settings.choice("delivery.per", Target.class))
                .hasMessage("config key delivery.per (DELIVERY_PER) is socket; it must be one of topic, queue, none");
    }

    @Test
    void aBlankValueIsAbsentAndAMissingRequiredOneIsNamed() {
        var settings = with(Map.of("AUTH_ISSUER", "  "));

        assertThat(settings.optional("auth.issuer")).isEmpty();
        assertThat(settings.list("auth.audiences")).isEmpty();
        assertThatThrownBy(() -> settings.text("auth.issuer"))
                .hasMessage("config key auth.issuer (AUTH_ISSUER) is missing");
    }

    @Test
    void aUrlNeedsASchemeAndAHost() {
        var settings = with(Map.of("APIGW_ENDPOINT", "https://abc.example.com/prod", "MANAGEMENT_URL", "10.0.0.5"));

        assertThat(settings.url("apigw.endpoint")).contains(URI.create("https://abc.example.com/prod"));
        assertThatThrownBy(() -> settings.url("management.url"))
                .hasMessage(
                        "config key management.url (MANAGEMENT_URL) is 10.0.0.5; it must be a URL (scheme://host…)");
    }

    @Test
    void aListIsSplitOnCommasAndTrimmed() {
        var settings = with(Map.of("AUTH_AUDIENCES", " web, ,mobile "));

        assertThat(settings.list("auth.audiences")).containsExactly("web", "mobile");
    }

    @Test
    void everyKeyAskedForIsRemembered() {
        var settings = with(Map.of("SERVER_PORT", "1"));

        settings.port("server.port");
        settings.optional("auth.issuer");

        assertThat(settings.keysRead()).containsExactlyInAnyOrder("server.port", "auth.issuer");
    }

    enum Target {
        TOPIC,
        QUEUE,
        NONE
    }

    @Test
    void anEnvironmentReachesTheKeysHelidonMapsItsVariablesTo() {
        assertThat(Settings.keysOf(Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://x", "NODE_HEARTBEAT", "PT1S")))
                .isEqualTo(Map.of("aws.endpoint.url.dynamodb", "http://x", "node.heartbeat", "PT1S"));
    }

    @Test
    void namesHelidonDoesNotMapAsALambdasOwnReachNoKey() {
        var lambda = Map.of(
                "_HANDLER", "dev.switchboard.authorizer.lambda.ConnectAuthorizer",
                "_X_AMZN_TRACE_ID", "Root=1-5e1b4151",
                "_", "/usr/bin/java",
                "PATH", "/usr/bin",
                "A__B", "x",
                "TRAILING_", "x",
                "AUTH_JWKS_URI", "https://issuer.example.com/jwks.json");

        assertThat(Settings.keysOf(lambda)).isEqualTo(Map.of("auth.jwks.uri", "https://issuer.example.com/jwks.json"));
        assertThat(Settings.of(Settings.fromEnvironment(List.of(), lambda)).url("auth.jwks.uri"))
                .contains(URI.create("https://issuer.example.com/jwks.json"));
    }
}
