package dev.switchboard.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.authorizer.AuthSettings;
import dev.switchboard.authorizer.TokenVerifier;
import dev.switchboard.authorizer.Verification;
import dev.switchboard.emulators.issuer.JwtIssuer;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Verifications per second of {@link TokenVerifier} with a warm JWKS cache, for RS256 and ES256, beside the
 * reference: nimbus alone parsing the token and checking its signature with the key at hand (no key selection,
 * no claim checks). ours / reference is the cost of everything our verifier adds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenVerificationBenchmark {
    private JwtIssuer issuer;
    private TokenVerifier verifier;
    private String rs256;
    private String es256;
    private JWSVerifier rsaReference;
    private JWSVerifier ecReference;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        issuer = JwtIssuer.start("127.0.0.1", 0);
        verifier = new TokenVerifier(
                AuthSettings.jwks(issuer.jwksUri(), List.of("switchboard"), Optional.of(issuer.issuer())),
                Clock.systemUTC());
        rs256 = issuer.sign(issuer.claims("alice", "switchboard").build());
        es256 = issuer.signWithEcKey(issuer.claims("alice", "switchboard").build());
        rsaReference = new RSASSAVerifier(issuer.signingKey().toRSAPublicKey());
        ecReference = new ECDSAVerifier(issuer.ecKey().toECPublicKey());
        // Warms the JWKS cache, and makes sure what is measured is an accepted token's path, not a refusal's.
        for (var token : List.of(rs256, es256)) {
            if (verifier.verify(token) instanceof Verification.Refused refused) {
                throw new IllegalStateException("the benchmark's token is refused: " + refused);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        issuer.close();
    }

    @Benchmark
    public Verification rs256Ours() {
        return verifier.verify(rs256);
    }

    @Benchmark
    public boolean rs256Reference() throws ParseException, JOSEException {
        return SignedJWT.parse(rs256).verify(rsaReference);
    }

    @Benchmark
    public Verification es256Ours() {
        return verifier.verify(es256);
    }

    @Benchmark
    public boolean es256Reference() throws ParseException, JOSEException {
        return SignedJWT.parse(es256).verify(ecReference);
    }
}
