package dev.switchboard.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.issuer.JwtIssuer;
import dev.switchboard.settings.SettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** API Gateway's own $connect authorizer events (fixtures), real tokens, the real JWKS over HTTP. */
@ExtendWith(EmulatorsExtension.class)
class ConnectAuthorizerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METHOD_ARN =
            "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/production/$connect";

    private final JwtIssuer issuer;
    private final ConnectAuthorizer authorizer;

    ConnectAuthorizerIT(Emulators emulators) {
        this.issuer = emulators.issuer();
        issuer.available(true);
        this.authorizer = new ConnectAuthorizer(LambdaSettings.fromEnvironment(Map.of(
                "AUTH_JWKS_URI",
                issuer.jwksUri().toString(),
                "AUTH_AUDIENCES",
                "switchboard, other",
                "AUTH_ISSUER",
                issuer.issuer(),
                "AUTH_CONTEXT_CLAIMS",
                "email,rooms")));
    }

    @Test
    void aValidTokenInTheQueryStringIsAllowedWithTheUserAsPrincipal() throws IOException {
        var token = issuer.sign(issuer.claims("alice", "switchboard")
                .claim("email", "alice@example.com")
                .claim("rooms", List.of("red", "blue"))
                .build());

        var answer = authorizer.handleRequest(event("connect-query.json", token), null);

        assertThat(answer).containsEntry("principalId", "alice");
        assertThat(statement(answer))
                .containsEntry("Effect", "Allow")
                .containsEntry("Action", "execute-api:Invoke")
                .containsEntry("Resource", List.of(METHOD_ARN));
        // Each claim as a string (SUMU's way), and all of them with their JSON types, lists included, as one text.
        assertThat(answer.get("context"))
                .isEqualTo(Map.of(
                        "user_id",
                        "alice",
                        "email",
                        "alice@example.com",
                        "rooms",
                        "[red, blue]",
                        "claims",
                        "{\"email\":\"alice@example.com\",\"rooms\":[\"red\",\"blue\"]}"));
    }

    @Test
    void aValidBearerHeaderIsAllowed() throws IOException {
        var token = issuer.sign(issuer.claims("bob", "other").build());

        var answer = authorizer.handleRequest(event("connect-header.json", token), null);

        assertThat(answer).containsEntry("principalId", "bob");
        assertThat(statement(answer)).containsEntry("Effect", "Allow");
    }

    @Test
    void anExpiredTokenIsDeniedWithItsReason() throws IOException {
        var token = issuer.sign(issuer.claims("alice", "switchboard")
                .expirationTime(Date.from(Instant.now().minusSeconds(3600)))
                .build());

        var answer = authorizer.handleRequest(event("connect-query.json", token), null);

        assertThat(statement(answer)).containsEntry("Effect", "Deny").containsEntry("Resource", List.of(METHOD_ARN));
        assertThat(answer.get("context")).isEqualTo(Map.of("reason", "EXPIRED"));
        assertThat(answer.get("principalId")).isEqualTo("unauthorized");
    }

    @Test
    void noTokenIsDenied() throws IOException {
        var answer = authorizer.handleRequest(event("connect-no-token.json", ""), null);

        assertThat(statement(answer)).containsEntry("Effect", "Deny");
        assertThat(answer.get("context")).isEqualTo(Map.of("reason", "MISSING"));
    }

    @Test
    void configuredPolicyResourcesReplaceTheMethodArn() throws IOException {
        var resources = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/*";
        var wide = new ConnectAuthorizer(LambdaSettings.fromEnvironment(
                Map.of("AUTH_JWKS_URI", issuer.jwksUri().toString(), "AUTH_POLICY_RESOURCES", resources)));

        var answer = wide.handleRequest(
                event("connect-query.json", issuer.sign(issuer.claims("a", "x").build())), null);

        assertThat(statement(answer)).containsEntry("Resource", List.of(resources));
    }

    @Test
    void settingsWithoutAKeySourceAreRefusedAtStart() {
        assertThatThrownBy(() -> LambdaSettings.fromEnvironment(Map.of("AUTH_AUDIENCES", "x")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("AUTH_JWKS_URI");
        assertThatThrownBy(() -> LambdaSettings.fromEnvironment(
                        Map.of("AUTH_JWKS_URI", "http://x/jwks", "AUTH_VERIFY_EXPIRATION", "maybe")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("AUTH_VERIFY_EXPIRATION");
    }

    private static Map<String, Object> event(String fixture, String token) throws IOException {
        try (var in = ConnectAuthorizerIT.class.getResourceAsStream("/events/" + fixture)) {
            var text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${TOKEN}", token);
            return JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Map<String, Object> answer) {
        var policy = (Map<String, Object>) answer.get("policyDocument");
        assertThat(policy).containsEntry("Version", "2012-10-17");
        return ((List<Map<String, Object>>) policy.get("Statement")).getFirst();
    }
}
