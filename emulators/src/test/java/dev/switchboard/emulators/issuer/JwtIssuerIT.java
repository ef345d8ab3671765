package dev.switchboard.emulators.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmulatorsExtension.class)
class JwtIssuerIT {
    private final JwtIssuer issuer;
    private final HttpClient http = HttpClient.newHttpClient();

    JwtIssuerIT(Emulators emulators) {
        this.issuer = emulators.issuer();
    }

    @AfterEach
    void availableAgain() {
        issuer.available(true);
    }

    @Test
    void aMintedTokenVerifiesWithTheKeyTheJwksPublishes() throws Exception {
        var token = SignedJWT.parse(
                issuer.sign(issuer.claims("alice", "switchboard").build()));

        var key = jwks().getKeyByKeyId(token.getHeader().getKeyID());

        assertThat(key).isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(token.verify(new RSASSAVerifier(key.toRSAKey()))).isTrue();
        assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(token.getJWTClaimsSet().getAudience()).containsExactly("switchboard");
        assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(issuer.issuer());
    }

    @Test
    void anEcTokenVerifiesWithThePublishedEcKey() throws Exception {
        var token = SignedJWT.parse(
                issuer.signWithEcKey(issuer.claims("bob", "switchboard").build()));

        var key = jwks().getKeyByKeyId(issuer.ecKey().getKeyID());

        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(token.verify(new ECDSAVerifier(key.toECKey()))).isTrue();
    }

    @Test
    void aRotatedKeyIsPublishedBesideTheOldOneUntilTheOldIsRetired() throws Exception {
        var old = issuer.signingKey();

        var fresh = issuer.rotate();

        assertThat(jwks().getKeyByKeyId(fresh.getKeyID())).isNotNull();
        assertThat(jwks().getKeyByKeyId(old.getKeyID())).isNotNull();
        assertThat(SignedJWT.parse(issuer.sign(issuer.claims("c", "a").build()))
                        .getHeader()
                        .getKeyID())
                .isEqualTo(fresh.getKeyID());

        issuer.retire(old.getKeyID());

        assertThat(jwks().getKeyByKeyId(old.getKeyID())).isNull();
    }

    @Test
    void aTokenSignedWithAnUnpublishedKeyFindsNoKeyInTheJwks() throws Exception {
        var stranger = JwtIssuer.newRsaKey();

        var token = SignedJWT.parse(JwtIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(stranger.getKeyID())
                        .build(),
                issuer.claims("mallory", "switchboard").build(),
                JwtIssuer.signer(stranger)));

        assertThat(jwks().getKeyByKeyId(token.getHeader().getKeyID())).isNull();
    }

    @Test
    void anUnsignedTokenSaysAlgNone() throws Exception {
        var token = JWTParser.parse(
                JwtIssuer.unsigned(issuer.claims("eve", "switchboard").build()));

        assertThat(token).isInstanceOf(PlainJWT.class);
        assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo("none");
    }

    @Test
    void anUnavailableIssuerAnswers503AndCountsTheRequest() throws Exception {
        issuer.available(false);
        var before = issuer.jwksRequests();

        var response = get(issuer.jwksUri());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(issuer.jwksRequests()).isEqualTo(before + 1);
    }

    private JWKSet jwks() throws Exception {
        var response = get(issuer.jwksUri());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return JWKSet.parse(response.body());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
