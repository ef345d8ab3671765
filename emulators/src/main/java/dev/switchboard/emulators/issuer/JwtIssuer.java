package dev.switchboard.emulators.issuer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWT issuer for tests and the local stack: an RSA signing key (rotatable) and an EC key, their public halves
 * served as a JWKS over HTTP, and tokens minted with any claims, header and key, so tests can forge bad ones.
 * Thread-safe.
 */
public final class JwtIssuer implements AutoCloseable {
    /** Where the JWKS is served, below the issuer's base URL. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private final WebServer server;
    private final URI baseUri;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final ECKey ecKey;
    private volatile RSAKey signingKey;
    private volatile boolean available = true;

    private JwtIssuer(String host, int port) {
        this.signingKey = newRsaKey();
        this.ecKey = newEcKey();
        published.add(signingKey);
        published.add(ecKey);
        this.server = WebServer.builder()
                .host(host)
                .port(port)
                .routing(routing -> routing.get(JWKS_PATH, this::serveJwks))
                .build()
                .start();
        this.baseUri = URI.create("http://" + host + ":" + server.port());
    }

    /** Starts the issuer's JWKS endpoint on {@code host:port} (port 0 picks a free one). */
    public static JwtIssuer start(String host, int port) {
        return new JwtIssuer(host, port);
    }

    /** The {@code iss} of the tokens it mints: its base URL. */
    public String issuer() {
        return baseUri.toString();
    }

    public URI jwksUri() {
        return baseUri.resolve(JWKS_PATH);
    }

    public int port() {
        return server.port();
    }

    /** The RSA key that signs now, private half included. */
    public RSAKey signingKey() {
        return signingKey;
    }

    /** The EC (P-256) key, private half included; published in the JWKS too. */
    public ECKey ecKey() {
        return ecKey;
    }

    /** A new RSA key signs from now on; the old one stays in the JWKS until {@link #retire(String)}. */
    public RSAKey rotate() {
        var key = newRsaKey();
        published.add(key);
        signingKey = key;
        return key;
    }

    /** Removes a key from the JWKS. */
    public void retire(String keyId) {
        published.removeIf(key -> keyId.equals(key.getKeyID()));
    }

    /** While unavailable, the JWKS endpoint answers 503, as an identity provider having an outage would. */
    public void available(boolean available) {
        this.available = available;
    }

    /** How many times the JWKS was asked for, to test caching. */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** Claims a valid token carries: this issuer, the subject, the audience, issued now, expiring in an hour. */
    public JWTClaimsSet.Builder claims(String subject, String audience) {
        var now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(DEFAULT_LIFETIME)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** Signs with the current RSA key (RS256, its {@code kid} in the header). */
    public String sign(JWTClaimsSet claims) {
        var key = signingKey;
        return sign(header(JWSAlgorithm.RS256, key), claims, signer(key));
    }

    /** Signs with the EC key (ES256, its {@code kid} in the header). */
    public String signWithEcKey(JWTClaimsSet claims) {
        return sign(header(JWSAlgorithm.ES256, ecKey), claims, signer(ecKey));
    }

    /** Signs with any header and signer: the way to forge a token (wrong key, confused algorithm, …). */
    public static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        var jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("signing a " + header.getAlgorithm() + " token", e);
        }
        return jwt.serialize();
    }

    /** An unsigned token, {@code alg: none}. */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** A fresh RSA key (2048 bits) that this issuer does not publish: signs tokens no JWKS vouches for. */
    public static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("generating an RSA key", e);
        }
    }

    /** An RS256 or ES256 signer for one of the keys. */
    public static JWSSigner signer(JWK key) {
        try {
            return key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner(key.toRSAKey());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("building a signer for key " + key.getKeyID(), e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    private static JWSHeader header(JWSAlgorithm algorithm, JWK key) {
        return new JWSHeader.Builder(algorithm)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build();
    }

    private static ECKey newEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("generating an EC key", e);
        }
    }

    private void serveJwks(ServerRequest request, ServerResponse response) {
        jwksRequests.incrementAndGet();
        if (!available) {
            response.status(Status.SERVICE_UNAVAILABLE_503).send();
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(new JWKSet(published).toPublicJWKSet().toString());
    }
}
