package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.SettingsContract;
import dev.switchboard.settings.SettingsException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalSettingsTest {
    @Test
    void everyDefaultIsPinned() {
        var settings = TestConfig.settings(Map.of());

        assertThat(settings)
                .isEqualTo(new LocalSettings(
                        "127.0.0.1",
                        8000,
                        9324,
                        9911,
                        8090,
                        8080,
                        8081,
                        8082,
                        "us-east-1",
                        Optional.empty(),
                        "switchboard",
                        "switchboard-connections",
                        "sk-index",
                        5,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        List.of("switchboard"),
                        "dev-user",
                        Duration.ofHours(24),
                        Path.of(".local-stack.env"),
                        8083,
                        Path.of("examples"),
                        Optional.empty()));
    }

    @Test
    void eachOperatorEnvironmentNameReachesItsKey() {
        var env = Map.ofEntries(
                Map.entry("LOCAL_HOST", "127.0.0.2"),
                Map.entry("DYNAMODB_PORT", "18000"),
                Map.entry("SQS_PORT", "19324"),
                Map.entry("SNS_PORT", "19911"),
                Map.entry("ISSUER_PORT", "18090"),
                Map.entry("SERVER_PORT", "18080"),
                Map.entry("MANAGEMENT_PORT", "18081"),
                Map.entry("PUSHER_PORT", "18082"),
                Map.entry("AWS_REGION", "eu-west-1"),
                Map.entry("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4567"),
                Map.entry("LOCAL_PREFIX", "demo"),
                Map.entry("CONNECTIONS_TABLE", "demo-connections"),
                Map.entry("CONNECTIONS_INDEX", "demo-index"),
                Map.entry("LOCAL_REDRIVE_RECEIVES", "3"),
                Map.entry("AUTH_JWKS_URI", "https://issuer.example.com/jwks.json"),
                Map.entry("AUTH_HMAC_SECRET", "0123456789abcdef0123456789abcdef"),
                Map.entry("AUTH_ISSUER", "https://issuer.example.com/"),
                Map.entry("AUTH_AUDIENCES", "web, mobile"),
                Map.entry("DEV_USER", "alice"),
                Map.entry("DEV_VALIDITY", "PT15M"),
                Map.entry("LOCAL_ENV_FILE", "/tmp/stack.env"),
                Map.entry("EXAMPLES_PORT", "18083"),
                Map.entry("EXAMPLES_DIR", "/srv/examples"),
                Map.entry("READY_FILE", "/tmp/stack.ready"));

        var settings = TestConfig.settings(env);

        assertThat(settings)
                .isEqualTo(new LocalSettings(
                        "127.0.0.2",
                        18000,
                        19324,
                        19911,
                        18090,
                        18080,
                        18081,
                        18082,
                        "eu-west-1",
                        Optional.of(URI.create("http://127.0.0.1:4567")),
                        "demo",
                        "demo-connections",
                        "demo-index",
                        3,
                        Optional.of(URI.create("https://issuer.example.com/jwks.json")),
                        Optional.of(new LocalSettings.Secret("0123456789abcdef0123456789abcdef")),
                        Optional.of("https://issuer.example.com/"),
                        List.of("web", "mobile"),
                        "alice",
                        Duration.ofMinutes(15),
                        Path.of("/tmp/stack.env"),
                        18083,
                        Path.of("/srv/examples"),
                        Optional.of(Path.of("/tmp/stack.ready"))));
    }

    @Test
    void everyKeyIsDocumentedReadAndReachedByItsVariable() {
        var contract = SettingsContract.of(LocalSettings::from, LocalSettings.DEFAULTS)
                .readElsewhere("topics.rules", "the stack's gateway (GatewaySettings)")
                .alternative("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4567")
                .alternative("AUTH_JWKS_URI", "https://issuer.example.com/jwks.json")
                .alternative("AUTH_HMAC_SECRET", "0123456789abcdef0123456789abcdef")
                .alternative("AUTH_ISSUER", "https://issuer.example.com/")
                .alternative("READY_FILE", "/tmp/stack.ready")
                .documentedIn(Path.of("../docs/configuration.md"), "local-stack");

        assertThat(contract.problems()).isEmpty();
    }

    @Test
    void aPortThatIsNoNumberNamesItsKey() {
        assertThatThrownBy(() -> TestConfig.settings(Map.of("SQS_PORT", "ninety")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("sqs.port");
    }

    @Test
    void aPortOutOfRangeNamesItsKeyAndTheRange() {
        assertThatThrownBy(() -> TestConfig.settings(Map.of("DYNAMODB_PORT", "70000")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("dynamodb.port")
                .hasMessageContaining("between 0 and 65535");
    }

    @Test
    void anEmptyTableNameNamesItsKey() {
        assertThatThrownBy(() -> TestConfig.settings(Map.of("CONNECTIONS_TABLE", " ")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("connections.table");
    }

    @Test
    void aDynamoDbEndpointNamingTheStacksOwnDynaliteMeansDynalite() {
        // A shell that sourced .local-stack.env has AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000.
        var own = TestConfig.settings(Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"));
        var other = TestConfig.settings(Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8001"));

        assertThat(own.externalDynamoDb()).isEmpty();
        assertThat(other.externalDynamoDb()).contains(URI.create("http://127.0.0.1:8001"));
    }

    @Test
    void theHmacSecretIsNeverPrinted() {
        var settings = TestConfig.settings(Map.of("AUTH_HMAC_SECRET", "0123456789abcdef0123456789abcdef"));

        assertThat(settings.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void queueAndTopicNamesCarryThePrefix() {
        assertThat(TestConfig.settings(Map.of("LOCAL_PREFIX", "demo")).name("notifications"))
                .isEqualTo("demo-notifications");
    }
}
