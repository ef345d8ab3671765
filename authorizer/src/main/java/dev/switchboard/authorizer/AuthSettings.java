package dev.switchboard.authorizer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a token must satisfy, and where the keys come from: a JWKS URI (production) or an HMAC secret
 * (development), exactly one of them.
 *
 * @param audiences a token must carry one of them in {@code aud}; empty means {@code aud} is not checked
 * @param issuer when present, {@code iss} must equal it
 * @param verifyExpiration check {@code exp} (on by default; SUMU's {@code verify_token_expiration})
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 * @param algorithms the allow-list; asymmetric ones only with a JWKS, HMAC ones only with a secret; never
 *     {@code none}
 * @param userClaim the claim that names the user
 * @param jwksTimeout connect and read timeout of each JWKS request
 * @param jwksCacheTtl how long fetched keys are used before they are fetched again
 * @param jwksMinRefreshInterval at most one fetch per this interval, however many unknown {@code kid}s arrive
 */
public record AuthSettings(
        Optional<URI> jwksUri,
        Optional<String> hmacSecret,
        List<String> audiences,
        Optional<String> issuer,
        boolean verifyExpiration,
        Duration clockSkew,
        Set<String> algorithms,
        String userClaim,
        Duration jwksTimeout,
        Duration jwksCacheTtl,
        Duration jwksMinRefreshInterval) {
    public static final Set<String> ASYMMETRIC =
            Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    public static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");

    public AuthSettings {
        audiences = List.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
        if (jwksUri.isPresent() == hmacSecret.isPresent()) {
            throw new IllegalArgumentException("configure exactly one of auth.jwks.uri and auth.hmac.secret");
        }
        var allowed = jwksUri.isPresent() ? ASYMMETRIC : HMAC;
        for (var algorithm : algorithms) {
            if (!allowed.contains(algorithm)) {
                throw new IllegalArgumentException("algorithm " + algorithm + " is not allowed with "
                        + (jwksUri.isPresent() ? "a JWKS (asymmetric only)" : "an HMAC secret (HS* only)"));
            }
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("auth.clock.skew must not be negative");
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("the algorithm allow-list is empty");
        }
        if (hmacSecret.isPresent() && hmacSecret.get().getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("auth.hmac.secret must be at least 32 bytes (256 bits) for HS256");
        }
        if (userClaim.isBlank()) {
            throw new IllegalArgumentException("auth.user.claim must not be empty");
        }
    }

    /** Keys from a JWKS: every asymmetric algorithm, {@code sub}, 60 s skew, 5 s timeouts, 5 min cache. */
    public static AuthSettings jwks(URI jwksUri, List<String> audiences, Optional<String> issuer) {
        return new AuthSettings(
                Optional.of(jwksUri),
                Optional.empty(),
                audiences,
                issuer,
                true,
                Duration.ofSeconds(60),
                ASYMMETRIC,
                "sub",
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30));
    }

    /** An HMAC secret, for development: HS256/384/512, otherwise as {@link #jwks}. */
    public static AuthSettings hmac(String secret, List<String> audiences, Optional<String> issuer) {
        return new AuthSettings(
                Optional.empty(),
                Optional.of(secret),
                audiences,
                issuer,
                true,
                Duration.ofSeconds(60),
                HMAC,
                "sub",
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30));
    }

    public AuthSettings withVerifyExpiration(boolean verify) {
        return new AuthSettings(
                jwksUri,
                hmacSecret,
                audiences,
                issuer,
                verify,
                clockSkew,
                algorithms,
                userClaim,
                jwksTimeout,
                jwksCacheTtl,
                jwksMinRefreshInterval);
    }

    public AuthSettings withClockSkew(Duration skew) {
        return new AuthSettings(
                jwksUri,
                hmacSecret,
                audiences,
                issuer,
                verifyExpiration,
                skew,
                algorithms,
                userClaim,
                jwksTimeout,
                jwksCacheTtl,
                jwksMinRefreshInterval);
    }

    public AuthSettings withUserClaim(String claim) {
        return new AuthSettings(
                jwksUri,
                hmacSecret,
                audiences,
                issuer,
                verifyExpiration,
                clockSkew,
                algorithms,
                claim,
                jwksTimeout,
                jwksCacheTtl,
                jwksMinRefreshInterval);
    }

    public AuthSettings withJwksCache(Duration ttl, Duration minRefreshInterval) {
        return new AuthSettings(
                jwksUri,
                hmacSecret,
                audiences,
                issuer,
                verifyExpiration,
                clockSkew,
                algorithms,
                userClaim,
                jwksTimeout,
                ttl,
                minRefreshInterval);
    }

    /** Names every setting but the secret, so the settings can be logged. */
    @Override
    public String toString() {
        return "AuthSettings[jwksUri=" + jwksUri.map(URI::toString).orElse("-") + ", hmacSecret="
                + (hmacSecret.isPresent() ? "(set)" : "-") + ", audiences=" + audiences + ", issuer="
                + issuer.orElse("-") + ", verifyExpiration=" + verifyExpiration + ", clockSkew=" + clockSkew
                + ", algorithms=" + new java.util.TreeSet<>(algorithms) + ", userClaim=" + userClaim + "]";
    }
}
