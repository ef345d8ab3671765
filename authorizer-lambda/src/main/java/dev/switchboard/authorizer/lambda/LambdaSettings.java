package dev.switchboard.authorizer.lambda;

import dev.switchboard.authorizer.AuthSettings;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Lambda's settings, from its environment (the names the gateway uses too): {@code AUTH_JWKS_URI} or
 * {@code AUTH_HMAC_SECRET}, {@code AUTH_AUDIENCES} (comma-separated), {@code AUTH_ISSUER},
 * {@code AUTH_VERIFY_EXPIRATION} (default true), {@code AUTH_USER_CLAIM} (default sub), {@code AUTH_CONTEXT_CLAIMS}
 * (claims copied into the authorizer context, default none) and {@code AUTH_POLICY_RESOURCES} (the resources the
 * policy names, default the request's method ARN).
 */
record LambdaSettings(AuthSettings auth, List<String> contextClaims, List<String> policyResources) {
    static LambdaSettings fromEnvironment(Map<String, String> env) {
        var audiences = list(env.get("AUTH_AUDIENCES"));
        var issuer = value(env.get("AUTH_ISSUER"));
        var jwks = value(env.get("AUTH_JWKS_URI"));
        var secret = value(env.get("AUTH_HMAC_SECRET"));
        if (jwks.isPresent() && secret.isPresent()) {
            throw new IllegalArgumentException("set AUTH_JWKS_URI or AUTH_HMAC_SECRET, not both");
        }
        var auth = jwks.map(uri -> AuthSettings.jwks(URI.create(uri), audiences, issuer))
                .or(() -> secret.map(s -> AuthSettings.hmac(s, audiences, issuer)))
                .orElseThrow(
                        () -> new IllegalArgumentException("set AUTH_JWKS_URI (or AUTH_HMAC_SECRET for development)"));
        var verifyExpiration = value(env.get("AUTH_VERIFY_EXPIRATION"))
                .map(LambdaSettings::bool)
                .orElse(true);
        auth = auth.withVerifyExpiration(verifyExpiration);
        auth = value(env.get("AUTH_USER_CLAIM")).map(auth::withUserClaim).orElse(auth);
        return new LambdaSettings(auth, list(env.get("AUTH_CONTEXT_CLAIMS")), list(env.get("AUTH_POLICY_RESOURCES")));
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("AUTH_VERIFY_EXPIRATION must be true or false, not " + value);
        };
    }

    private static Optional<String> value(String raw) {
        return Optional.ofNullable(raw).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static List<String> list(String raw) {
        return value(raw)
                .map(v -> Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }
}
