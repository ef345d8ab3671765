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
 * {@code exp}, {@code nbf}, {@code aud}, {@code iss} and the user claim, each failure with its own {@link Reason}.
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

    /**
     * Verifies a token.
     *
     * @throws InvalidTokenException with the reason it was refused
     */
    public Principal verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException(Reason.MISSING, "no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(
                    Reason.OVERSIZE, token.length() + " characters, the limit is " + MAX_TOKEN_LENGTH);
        }
        var jwt = parse(token);
        var header = jwt.getHeader();
        if (!algorithms.contains(header.getAlgorithm())) {
            throw new InvalidTokenException(Reason.ALGORITHM, "algorithm " + header.getAlgorithm() + " is not allowed");
        }
        verifySignature(jwt, header);
        return checkClaims(claimsOf(jwt));
    }

    private static SignedJWT parse(String token) throws InvalidTokenException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "cannot parse: " + e.getMessage());
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        // An unsigned (alg none) or an encrypted token: never accepted.
        throw new InvalidTokenException(
                Reason.ALGORITHM, "algorithm " + jwt.getHeader().getAlgorithm() + " is never allowed");
    }

    private void verifySignature(SignedJWT jwt, JWSHeader header) throws InvalidTokenException {
        List<Key> candidates;
        try {
            candidates = keys.selectJWSKeys(header, null);
        } catch (RateLimitReachedException e) {
            throw new InvalidTokenException(
                    Reason.UNKNOWN_KEY,
                    "no key for kid " + header.getKeyID() + " and the JWKS was fetched too recently to fetch it again");
        } catch (KeySourceException e) {
            throw new InvalidTokenException(Reason.KEYS_UNAVAILABLE, "fetching the JWKS: " + e.getMessage(), e);
        }
        if (candidates.isEmpty()) {
            throw new InvalidTokenException(
                    Reason.UNKNOWN_KEY, "no key for kid " + header.getKeyID() + " and " + header.getAlgorithm());
        }
        for (var key : candidates) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
                    return;
                }
            } catch (JOSEException e) {
                // This key cannot verify this token (wrong type or size): try the next one.
            }
        }
        throw new InvalidTokenException(
                Reason.SIGNATURE, "no key verifies the signature (kid " + header.getKeyID() + ")");
    }

    private static JWTClaimsSet claimsOf(SignedJWT jwt) throws InvalidTokenException {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "claims are not a JSON object: " + e.getMessage());
        }
    }

    private Principal checkClaims(JWTClaimsSet claims) throws InvalidTokenException {
        var now = clock.instant();
        var skew = settings.clockSkew();
        var expiresAt = Optional.ofNullable(claims.getExpirationTime()).map(Date::toInstant);
        if (settings.verifyExpiration()) {
            if (expiresAt.isEmpty()) {
                throw new InvalidTokenException(Reason.EXPIRED, "no exp claim");
            }
            if (!now.isBefore(expiresAt.get().plus(skew))) {
                throw new InvalidTokenException(Reason.EXPIRED, "expired at " + expiresAt.get());
            }
        }
        var notBefore = Optional.ofNullable(claims.getNotBeforeTime()).map(Date::toInstant);
        if (notBefore.isPresent() && now.plus(skew).isBefore(notBefore.get())) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID, "not valid before " + notBefore.get());
        }
        if (!settings.audiences().isEmpty()) {
            var audience = claims.getAudience();
            if (audience == null || audience.stream().noneMatch(settings.audiences()::contains)) {
                throw new InvalidTokenException(
                        Reason.AUDIENCE, "audience " + audience + " is none of " + settings.audiences());
            }
        }
        if (settings.issuer().isPresent() && !settings.issuer().get().equals(claims.getIssuer())) {
            throw new InvalidTokenException(
                    Reason.ISSUER,
                    "issuer " + claims.getIssuer() + " is not "
                            + settings.issuer().get());
        }
        var user = claims.getClaim(settings.userClaim());
        if (!(user instanceof String userId) || userId.isBlank()) {
            throw new InvalidTokenException(Reason.MISSING_USER_CLAIM, "no string claim " + settings.userClaim());
        }
        return new Principal(userId, expiresAt, claims.getClaims());
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
