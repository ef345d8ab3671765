package dev.switchboard.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.SettingsContract;
import dev.switchboard.settings.SettingsException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LambdaSettingsTest {
    private static final String SECRET = "a-development-secret-of-32-bytes!!";

    @Test
    void everyKeyIsDocumentedReadAndReachedByItsVariable() {
        var contract = SettingsContract.of(LambdaSettings::from, LambdaSettings.DEFAULTS_FILES.toArray(String[]::new))
                .environment("AUTH_HMAC_SECRET", SECRET)
                .alternative("AUTH_HMAC_SECRET", SECRET + "?")
                .alternative(
                        "AUTH_JWKS_URI",
                        Map.of("AUTH_JWKS_URI", "https://issuer.example.com/jwks.json", "AUTH_HMAC_SECRET", ""))
                .alternative("AUTH_AUDIENCES", "web")
                .alternative("AUTH_ISSUER", "https://issuer.example.com/")
                .alternative("AUTH_CONTEXT_CLAIMS", "email,role")
                .alternative("AUTH_POLICY_RESOURCES", "arn:a")
                .documentedIn(Path.of("../docs/configuration.md"), "authorizer-lambda");

        assertThat(contract.problems()).isEmpty();
    }

    @Test
    void eachEnvironmentNameReachesItsSetting() {
        var settings = LambdaSettings.fromEnvironment(Map.of(
                "AUTH_JWKS_URI", "https://issuer.example.com/jwks.json",
                "AUTH_AUDIENCES", "web, mobile",
                "AUTH_ISSUER", "https://issuer.example.com/",
                "AUTH_VERIFY_EXPIRATION", "false",
                "AUTH_USER_CLAIM", "email",
                "AUTH_CONTEXT_CLAIMS", "email,role",
                "AUTH_POLICY_RESOURCES", "arn:a, arn:b"));

        assertThat(settings.auth().jwksUri()).contains(URI.create("https://issuer.example.com/jwks.json"));
        assertThat(settings.auth().audiences()).containsExactly("web", "mobile");
        assertThat(settings.auth().issuer()).contains("https://issuer.example.com/");
        assertThat(settings.auth().verifyExpiration()).isFalse();
        assertThat(settings.auth().userClaim()).isEqualTo("email");
        assertThat(settings.contextClaims()).containsExactly("email", "role");
        assertThat(settings.policyResources()).containsExactly("arn:a", "arn:b");
    }

    @Test
    void theDefaultsArePinned() {
        var settings = LambdaSettings.fromEnvironment(Map.of("AUTH_HMAC_SECRET", SECRET));

        assertThat(settings.auth().hmacSecret()).isPresent();
        assertThat(settings.auth().audiences()).isEmpty();
        assertThat(settings.auth().issuer()).isEqualTo(Optional.empty());
        assertThat(settings.auth().verifyExpiration()).isTrue();
        assertThat(settings.auth().userClaim()).isEqualTo("sub");
        assertThat(settings.contextClaims()).isEqualTo(List.of());
        assertThat(settings.policyResources()).isEqualTo(List.of());
    }

    @Test
    void aLambdasOwnVariablesBesideOursAreNoTrouble() {
        // What AWS Lambda sets in every execution environment, some of it named as Helidon maps no variable.
        var settings = LambdaSettings.fromEnvironment(Map.of(
                "_HANDLER", "dev.switchboard.authorizer.lambda.ConnectAuthorizer::handleRequest",
                "_X_AMZN_TRACE_ID", "Root=1-5e1b4151-5ac6c58f",
                "AWS_LAMBDA_FUNCTION_NAME", "switchboard-authorizer",
                "AWS_REGION", "eu-west-1",
                "LAMBDA_TASK_ROOT", "/var/task",
                "AUTH_JWKS_URI", "https://issuer.example.com/jwks.json"));

        assertThat(settings.auth().jwksUri()).contains(URI.create("https://issuer.example.com/jwks.json"));
    }

    @Test
    void bothKeySourcesAtOnceAreRefused() {
        assertThatThrownBy(() -> LambdaSettings.fromEnvironment(
                        Map.of("AUTH_JWKS_URI", "https://issuer.example.com/jwks.json", "AUTH_HMAC_SECRET", SECRET)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("not both");
    }
}
