package dev.switchboard.authorizer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies JWTs: algorithm against the allow-list, signature with a key of the JWKS (fetched, cached, refreshed on
 * an unknown {@code kid} at most once per interval, and kept through a JWKS outage) or the HMAC secret, then
 * {@code exp}, {@code nbf}, {@code aud}, {@code iss} and the user claim, each refusal with its own {@link Reason}.
 * Thread-safe; build one per process. Never logs a token.
 */
public final class TokenVerifier {
    /** Longer tokens are refused before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private static final System.Logger LOG = System.getLogger(TokenVerifier.class.getName());

    private final AuthSettings settings;
    private final Clock clock;
    private final Set<JWSAlgorithm> algorithms;
    private final JWSVerificationKeySelector<SecurityContext> keys;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    public TokenVerifier(AuthSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.algorithms =
                settings.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        this.keys = new JWSVerificationKeySelector<>(algorithms, keySource(settings));
        if (settings.audiences().isEmpty()) {
            LOG.log(Level.WARNING, "no audiences configured: the aud claim of tokens is not checked");
        }
        if (!settings.verifyExpiration()) {
            LOG.log(Level.WARNING, "expiry checks are off (auth.verify.expiration=false): expired tokens are accepted");
        }
        LOG.log(Level.INFO, "token verifier ready settings={0}", settings);
    }

    public AuthSettings settings() {
        return settings;
    }

    /** Verifies a token: {@link Verification.Verified} with whom it speaks for, or {@link Verification.Refused}. */
    public Verification verify(String token) {
        if (token == null || token.isEmpty()) {
            return refused(Reason.MISSING, "no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return refused(Reason.OVERSIZE, token.length() + " characters, the limit is " + MAX_TOKEN_LENGTH);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | IllegalArgumentException e) {
            return refused(Reason.MALFORMED, "cannot parse: " + e.getMessage());
        }
        if (!(jwt instanceof SignedJWT signed)) {
            // An unsigned (alg none) or an encrypted token: never accepted.
            return refused(Reason.ALGORITHM, "algorithm " + jwt.getHeader().getAlgorithm() + " is never allowed");
        }
        var header = signed.getHeader();
        if (!algorithms.contains(header.getAlgorithm())) {
            return refused(Reason.ALGORITHM, "algorithm " + header.getAlgorithm() + " is not allowed");
        }
        var signature = signatureRefusal(signed, header);
        if (signature.isPresent()) {
            return signature.get();
        }
        try {
            return checkClaims(signed.getJWTClaimsSet());
        } catch (ParseException e) {
            return refused(Reason.MALFORMED, "claims are not a JSON object: " + e.getMessage());
        }
    }

    private static Verification.Refused refused(Reason reason, String detail) {
        return new Verification.Refused(reason, detail);
    }

    /** Why no key verifies the signature, or empty when one does. */
    private Optional<Verification.Refused> signatureRefusal(SignedJWT jwt, JWSHeader header) {
        List<Key> candidates;
        try {
            candidates = keys.selectJWSKeys(header, null);
        } catch (RateLimitReachedException e) {
            return Optional.of(refused(
                    Reason.UNKNOWN_KEY,
                    "no key for kid " + header.getKeyID()
                            + " and the JWKS was fetched too recently to fetch it again"));
        } catch (KeySourceException e) {
            return Optional.of(refused(Reason.KEYS_UNAVAILABLE, "fetching the JWKS: " + e.getMessage()));
        }
        if (candidates.isEmpty()) {
            return Optional.of(refused(
                    Reason.UNKNOWN_KEY, "no key for kid " + header.getKeyID() + " and " + header.getAlgorithm()));
        }
        for (var key : candidates) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
                    return Optional.empty();
                }
            } catch (JOSEException e) {
                // This key cannot verify this token (wrong type or size): try the next one.
            }
        }
        return Optional.of(refused(Reason.SIGNATURE, "no key verifies the signature (kid " + header.getKeyID() + ")"));
    }

    private Verification checkClaims(JWTClaimsSet claims) {
        var now = clock.instant();
        var skew = settings.clockSkew();
        var expiresAt = Optional.ofNullable(claims.getExpirationTime()).map(Date::toInstant);
        if (settings.verifyExpiration()) {
            if (expiresAt.isEmpty()) {
                return refused(Reason.EXPIRED, "no exp claim");
            }
            if (!now.isBefore(expiresAt.get().plus(skew))) {
                return refused(Reason.EXPIRED, "expired at " + expiresAt.get());
            }
        }
        var notBefore = Optional.ofNullable(claims.getNotBeforeTime()).map(Date::toInstant);
        if (notBefore.isPresent() && now.plus(skew).isBefore(notBefore.get())) {
            return refused(Reason.NOT_YET_VALID, "not valid before " + notBefore.get());
        }
        if (!settings.audiences().isEmpty()) {
            var audience = claims.getAudience();
            if (audience == null || audience.stream().noneMatch(settings.audiences()::contains)) {
                return refused(Reason.AUDIENCE, "audience " + audience + " is none of " + settings.audiences());
            }
        }
        if (settings.issuer().isPresent() && !settings.issuer().get().equals(claims.getIssuer())) {
            return refused(
                    Reason.ISSUER,
                    "issuer " + claims.getIssuer() + " is not "
                            + settings.issuer().get());
        }
        var user = claims.getClaim(settings.userClaim());
        if (!(user instanceof String userId) || userId.isBlank()) {
            return refused(Reason.MISSING_USER_CLAIM, "no string claim " + settings.userClaim());
        }
        return new Verification.Verified(new Principal(userId, expiresAt, claims.getClaims()));
    }

    private static JWKSource<SecurityContext> keySource(AuthSettings settings) {
        if (settings.hmacSecret().isPresent()) {
            return new ImmutableSecret<>(settings.hmacSecret().get().getBytes(StandardCharsets.UTF_8));
        }
        var uri = settings.jwksUri().orElseThrow();
        var timeout = (int) settings.jwksTimeout().toMillis();
        var ttl = settings.jwksCacheTtl().toMillis();
        // nimbus requires refresh-ahead time + refresh timeout <= cache TTL.
        var refreshTimeout = Math.min(timeout, ttl / 4);
        var refreshAhead = Math.min(30_000, ttl / 4);
        URL url;
        try {
            url = uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.jwks.uri is not a URL: " + uri, e);
        }
        return JWKSourceBuilder.<SecurityContext>create(url, new DefaultResourceRetriever(timeout, timeout, 512 * 1024))
                .cache(ttl, refreshTimeout)
                .refreshAheadCache(refreshAhead, false)
                .rateLimited(settings.jwksMinRefreshInterval().toMillis())
                .outageTolerantForever()
                .retrying(true)
                .build();
    }
}
