package dev.switchboard.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import dev.switchboard.emulators.issuer.JwtIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Which tokens the stack's gateway trusts: the dev issuer's (the default), another issuer's named by {@code
 * AUTH_JWKS_URI}, or tokens signed with {@code AUTH_HMAC_SECRET}. An {@code AUTH_JWKS_URI} naming the dev issuer
 * itself (left over from sourcing {@code .local-stack.env}) is the dev issuer.
 *
 * @param jwksUri the JWKS the gateway reads; empty with an HMAC secret
 * @param issuer the {@code iss} tokens must carry, if any
 */
record LocalAuth(Mode mode, Optional<URI> jwksUri, Optional<String> issuer, Optional<LocalSettings.Secret> hmacSecret) {
    enum Mode {
        /** The dev issuer's JWKS; the stack makes a dev token. */
        DEV_ISSUER,
        /** Another identity provider's JWKS; the stack cannot make a token. */
        OTHER_ISSUER,
        /** An HMAC secret (development only); the stack makes a dev token with it. */
        HMAC
    }

    /**
     * @throws LocalStackException when both another issuer's JWKS and an HMAC secret are set
     */
    static LocalAuth of(JwtIssuer dev, LocalSettings settings) {
        var other = settings.jwksUri().filter(uri -> !uri.equals(dev.jwksUri()));
        if (other.isPresent() && settings.hmacSecret().isPresent()) {
            throw new LocalStackException(
                    "set AUTH_JWKS_URI (another identity provider) or AUTH_HMAC_SECRET, not both");
        }
        if (other.isPresent()) {
            return new LocalAuth(Mode.OTHER_ISSUER, other, settings.authIssuer(), Optional.empty());
        }
        if (settings.hmacSecret().isPresent()) {
            return new LocalAuth(Mode.HMAC, Optional.empty(), settings.authIssuer(), settings.hmacSecret());
        }
        return new LocalAuth(
                Mode.DEV_ISSUER,
                Optional.of(dev.jwksUri()),
                Optional.of(settings.authIssuer().orElse(dev.issuer())),
                Optional.empty());
    }

    /** A token for {@code user} that the gateway accepts, or empty when another issuer's keys are trusted. */
    Optional<String> devToken(JwtIssuer dev, String user, Optional<String> audience, Instant expiry) {
        return devToken(dev, user, audience, expiry, java.util.Map.of());
    }

    /** A dev token with {@code extra} claims too (the examples' private rooms: a {@code rooms} list). */
    Optional<String> devToken(
            JwtIssuer dev,
            String user,
            Optional<String> audience,
            Instant expiry,
            java.util.Map<String, Object> extra) {
        if (mode == Mode.OTHER_ISSUER) {
            return Optional.empty();
        }
        var claims = dev.claims(user, audience.orElse(null));
        extra.forEach(claims::claim);
        issuer.ifPresent(claims::issuer);
        claims.expirationTime(Date.from(expiry));
        if (mode == Mode.DEV_ISSUER) {
            return Optional.of(dev.sign(claims.build()));
        }
        try {
            var signer = new MACSigner(hmacSecret.orElseThrow().value().getBytes(StandardCharsets.UTF_8));
            return Optional.of(JwtIssuer.sign(new JWSHeader(JWSAlgorithm.HS256), claims.build(), signer));
        } catch (JOSEException e) {
            throw new LocalStackException("AUTH_HMAC_SECRET cannot sign HS256 tokens: " + e.getMessage(), e);
        }
    }
}
