package dev.switchboard.app.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.GatewaySettings;
import dev.switchboard.settings.Settings;
import dev.switchboard.settings.SettingsContract;
import dev.switchboard.settings.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerlessSettingsTest {
    private static ServerlessSettings read(Map<String, String> environment) {
        return ServerlessSettings.from(
                Settings.of(Settings.fromEnvironment(ServerlessSettings.DEFAULTS_FILES, environment)));
    }

    @Test
    void itsOwnDefaultsArePinned() {
        var settings = read(Map.of());

        assertThat(settings.connectionTtl()).isEqualTo(Duration.ofHours(3));
        assertThat(settings.apigwEndpoint()).isEmpty();
        assertThat(settings.table()).isEqualTo("switchboard-connections");
        assertThat(settings.keptClaims()).isEqualTo(List.of());
    }

    @Test
    void everyKeyIsDocumentedReadAndReachedByItsVariable() {
        var contract = SettingsContract.of(ServerlessSettings::from, ServerlessSettings.DEFAULTS)
                .borrowing(GatewaySettings.DEFAULTS_FILES)
                .alternative("APIGW_ENDPOINT", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod")
                .alternative("CONNECTIONS_CLAIMS", "email")
                .alternative("MESSAGES_QUEUE_URL", "http://q/messages")
                .alternative("MESSAGES_TOPIC_ARN", "arn:aws:sns:us-east-1:1:t")
                .alternative("PRESENCE_TARGET", "queue")
                .alternative("TOPICS_RULES", "[{\"pattern\":\"*\",\"subscribe\":true}]")
                .alternative("TOPICS_GRANT_CLAIM", "topics")
                .documentedIn(Path.of("../docs/configuration.md"), "serverless-gateway");

        assertThat(contract.problems()).isEmpty();
    }

    @Test
    void aTtlBelowAMinuteIsRefused() {
        assertThatThrownBy(() -> read(Map.of("CONNECTIONS_TTL", "PT30S")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("connections.ttl (CONNECTIONS_TTL) is PT30S; it must lie between PT1M and");
    }
}
