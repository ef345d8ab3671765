package dev.switchboard.settings;

import dev.switchboard.authorizer.AuthSettings;
import java.time.Duration;

/**
 * The token checks' settings ({@code auth.*}, defaults in {@value #DEFAULTS}), read the same way by every service that
 * checks tokens: the gateway and the Lambda authorizer. Needs the authorizer library on the class path.
 */
public final class AuthConfig {
    /** The class path resource with every {@code auth.*} key and its default. */
    public static final String DEFAULTS = "auth.yaml";

    private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration JWKS_CACHE_TTL = Duration.ofMinutes(5);
    private static final Duration JWKS_MIN_REFRESH = Duration.ofSeconds(30);

    private AuthConfig() {}

    /**
     * What a token must satisfy: keys from {@code auth.jwks.uri} or, for development, {@code auth.hmac.secret} —
     * exactly one —, then audiences, issuer, expiry, clock skew and the user claim.
     *
     * @throws SettingsException when a value is bad, or both or neither key source is set
     */
    public static AuthSettings read(Settings settings) {
        // Every key is read before any is judged, so that each is known to be read (SettingsContract).
        var jwks = settings.url("auth.jwks.uri");
        var secret = settings.optional("auth.hmac.secret");
        var audiences = settings.list("auth.audiences");
        var issuer = settings.optional("auth.issuer");
        var verifyExpiration = settings.bool("auth.verify.expiration");
        var clockSkew = settings.duration("auth.clock.skew", Duration.ZERO, Duration.ofHours(1));
        var userClaim = settings.text("auth.user.claim");
        if (jwks.isPresent() && secret.isPresent()) {
            throw new SettingsException(
                    "set auth.jwks.uri (AUTH_JWKS_URI) or auth.hmac.secret (AUTH_HMAC_SECRET)," + " not both");
        }
        if (jwks.isEmpty() && secret.isEmpty()) {
            throw new SettingsException(
                    "set auth.jwks.uri (AUTH_JWKS_URI), or auth.hmac.secret (AUTH_HMAC_SECRET)" + " for development");
        }
        try {
            return new AuthSettings(
                    jwks,
                    secret,
                    audiences,
                    issuer,
                    verifyExpiration,
                    clockSkew,
                    jwks.isPresent() ? AuthSettings.ASYMMETRIC : AuthSettings.HMAC,
                    userClaim,
                    JWKS_TIMEOUT,
                    JWKS_CACHE_TTL,
                    JWKS_MIN_REFRESH);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("config auth: " + e.getMessage(), e);
        }
    }
}
