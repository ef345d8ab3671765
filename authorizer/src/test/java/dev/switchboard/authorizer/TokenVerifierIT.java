package dev.switchboard.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.issuer.JwtIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real tokens, signed or forged, against a real JWKS served over HTTP by the emulators' issuer. */
@ExtendWith(EmulatorsExtension.class)
class TokenVerifierIT {
    private static final String AUDIENCE = "switchboard";

    private final JwtIssuer issuer;
    private final TokenVerifier verifier;
    private final List<String> logLines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(new java.util.logging.SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    TokenVerifierIT(Emulators emulators) {
        this.issuer = emulators.issuer();
        issuer.available(true);
        Logger.getLogger("").addHandler(capture);
        this.verifier = verifier(settings());
    }

    @AfterEach
    void restore() {
        Logger.getLogger("").removeHandler(capture);
        issuer.available(true);
    }

    private AuthSettings settings() {
        return AuthSettings.jwks(issuer.jwksUri(), List.of(AUDIENCE), Optional.of(issuer.issuer()));
    }

    private static TokenVerifier verifier(AuthSettings settings) {
        return new TokenVerifier(settings, Clock.systemUTC());
    }

    private JWTClaimsSet.Builder claims() {
        return issuer.claims("alice", AUDIENCE);
    }

    /** The reason the token is refused; asserts that neither its detail nor any log line holds the token. */
    private Reason refusal(TokenVerifier verifier, String token) {
        var refused =
                switch (verifier.verify(token)) {
                    case Verification.Refused r -> r;
                    case Verification.Verified verified -> throw new AssertionError("accepted: " + verified);
                };
        assertThat(refused.detail()).doesNotContain(token);
        assertThat(logLines).noneMatch(line -> line.contains(token));
        return refused.reason();
    }

    /** Whom the token speaks for; fails, saying why, when it is refused. */
    private static Principal accepted(TokenVerifier verifier, String token) {
        return switch (verifier.verify(token)) {
            case Verification.Verified(var principal) -> principal;
            case Verification.Refused refused -> throw new AssertionError("refused: " + refused);
        };
    }

    @Test
    void aValidRs256TokenIsAccepted() throws Exception {
        var principal =
                accepted(verifier, issuer.sign(claims().claim("role", "admin").build()));

        assertThat(principal.userId()).isEqualTo("alice");
        assertThat(principal.expiresAt())
                .hasValueSatisfying(exp -> assertThat(exp).isAfter(Instant.now()));
        assertThat(principal.claims()).containsEntry("role", "admin");
    }

    @Test
    void aValidEs256TokenIsAccepted() throws Exception {
        assertThat(accepted(verifier, issuer.signWithEcKey(claims().build())).userId())
                .isEqualTo("alice");
    }

    @Test
    void algNoneIsRefused() {
        assertThat(refusal(verifier, JwtIssuer.unsigned(claims().build()))).isEqualTo(Reason.ALGORITHM);
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyIsRefusedAsKeyConfusion() throws Exception {
        var publicKey =
                issuer.signingKey().toPublicJWK().toRSAKey().toRSAPublicKey().getEncoded();
        var header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(issuer.signingKey().getKeyID())
                .type(JOSEObjectType.JWT)
                .build();

        var forged = JwtIssuer.sign(header, claims().build(), new MACSigner(publicKey));

        assertThat(refusal(verifier, forged)).isEqualTo(Reason.ALGORITHM);
    }

    @Test
    void anExpiredTokenIsRefusedButOneWithinTheClockSkewIsNot() throws Exception {
        var expired =
                issuer.sign(claims().expirationTime(ago(Duration.ofMinutes(2))).build());
        var withinSkew =
                issuer.sign(claims().expirationTime(ago(Duration.ofSeconds(30))).build());

        assertThat(refusal(verifier, expired)).isEqualTo(Reason.EXPIRED);
        assertThat(accepted(verifier, withinSkew).userId()).isEqualTo("alice");
    }

    @Test
    void anExpiredTokenIsAcceptedWhenExpiryChecksAreOff() throws Exception {
        var lenient = verifier(settings().withVerifyExpiration(false));

        var expired =
                issuer.sign(claims().expirationTime(ago(Duration.ofHours(2))).build());

        assertThat(accepted(lenient, expired).userId()).isEqualTo("alice");
    }

    @Test
    void aTokenWithoutExpIsRefusedWhileExpiryIsChecked() {
        assertThat(refusal(verifier, issuer.sign(claims().expirationTime(null).build())))
                .isEqualTo(Reason.EXPIRED);
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        var early = issuer.sign(claims().notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
                .build());

        assertThat(refusal(verifier, early)).isEqualTo(Reason.NOT_YET_VALID);
    }

    @Test
    void aWrongAudienceIsRefused() {
        assertThat(refusal(
                        verifier,
                        issuer.sign(issuer.claims("alice", "someone-else").build())))
                .isEqualTo(Reason.AUDIENCE);
    }

    @Test
    void noAudienceIsRefusedWhenOneIsRequired() {
        assertThat(refusal(
                        verifier, issuer.sign(claims().audience((String) null).build())))
                .isEqualTo(Reason.AUDIENCE);
    }

    @Test
    void withoutConfiguredAudiencesAudIsNotCheckedAndTheLogSaysSo() throws Exception {
        var anyAudience = verifier(AuthSettings.jwks(issuer.jwksUri(), List.of(), Optional.empty()));

        assertThat(accepted(
                                anyAudience,
                                issuer.sign(issuer.claims("alice", "whatever").build()))
                        .userId())
                .isEqualTo("alice");
        assertThat(logLines).anyMatch(line -> line.contains("no audiences configured"));
    }

    @Test
    void aWrongIssuerIsRefused() {
        assertThat(refusal(
                        verifier,
                        issuer.sign(claims().issuer("https://evil.example.com").build())))
                .isEqualTo(Reason.ISSUER);
    }

    @Test
    void aTamperedPayloadIsRefused() {
        var token = issuer.sign(claims().build());
        var parts = token.split("\\.");
        var tampered = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims().subject("mallory").build().toString().getBytes(StandardCharsets.UTF_8));

        assertThat(refusal(verifier, parts[0] + "." + tampered + "." + parts[2]))
                .isEqualTo(Reason.SIGNATURE);
    }

    @Test
    void aSignatureByAnotherKeyWithTheSameKidIsRefused() throws Exception {
        var impostor = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                .keyID(issuer.signingKey().getKeyID())
                .generate();
        var header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(impostor.getKeyID())
                .build();

        assertThat(refusal(verifier, JwtIssuer.sign(header, claims().build(), JwtIssuer.signer(impostor))))
                .isEqualTo(Reason.SIGNATURE);
    }

    @Test
    void anUnknownKidIsRefused() {
        RSAKey stranger = JwtIssuer.newRsaKey();
        var header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(stranger.getKeyID())
                .build();

        assertThat(refusal(verifier, JwtIssuer.sign(header, claims().build(), JwtIssuer.signer(stranger))))
                .isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void unknownKidsRefetchTheJwksAtMostOncePerInterval() throws Exception {
        accepted(verifier, issuer.sign(claims().build())); // warm
        var before = issuer.jwksRequests();

        for (int i = 0; i < 5; i++) {
            var stranger = JwtIssuer.newRsaKey();
            var header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(stranger.getKeyID())
                    .build();
            assertThat(refusal(verifier, JwtIssuer.sign(header, claims().build(), JwtIssuer.signer(stranger))))
                    .isEqualTo(Reason.UNKNOWN_KEY);
        }

        assertThat(issuer.jwksRequests() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void malformedTokensAreRefused() {
        var valid = issuer.sign(claims().build()).split("\\.");
        var garbage =
                Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes(StandardCharsets.UTF_8));

        assertThat(refusal(verifier, valid[0] + "." + valid[1])).isEqualTo(Reason.MALFORMED);
        assertThat(refusal(verifier, "%%%." + valid[1] + "." + valid[2])).isEqualTo(Reason.MALFORMED);
        assertThat(refusal(verifier, garbage + "." + valid[1] + "." + valid[2])).isEqualTo(Reason.MALFORMED);
        assertThat(refusal(verifier, "hello")).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void validlySignedClaimsThatAreNotJsonAreRefusedAsMalformed() throws Exception {
        var header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(issuer.signingKey().getKeyID())
                .build();
        var jws = new com.nimbusds.jose.JWSObject(header, new com.nimbusds.jose.Payload("{oops"));
        jws.sign(JwtIssuer.signer(issuer.signingKey()));

        assertThat(refusal(verifier, jws.serialize())).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void anOversizeTokenIsRefusedWithoutParsing() {
        var huge = issuer.sign(claims().claim("padding", "x".repeat(9000)).build());

        assertThat(refusal(verifier, huge)).isEqualTo(Reason.OVERSIZE);
    }

    @Test
    void aTokenWithoutTheUserClaimIsRefused() {
        assertThat(refusal(verifier, issuer.sign(claims().subject(null).build())))
                .isEqualTo(Reason.MISSING_USER_CLAIM);
    }

    @Test
    void theUserClaimIsConfigurable() throws Exception {
        var byEmail = verifier(settings().withUserClaim("email"));

        assertThat(accepted(
                                byEmail,
                                issuer.sign(claims().claim("email", "alice@example.com")
                                        .build()))
                        .userId())
                .isEqualTo("alice@example.com");
    }

    @Test
    void aJwksEndpointDownAtAColdStartRefusesWithKeysUnavailable() {
        issuer.available(false);
        var cold = verifier(settings());

        assertThat(refusal(cold, issuer.sign(claims().build()))).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void cachedKeysKeepServingWhileTheJwksEndpointIsDown() throws Exception {
        accepted(verifier, issuer.sign(claims().build()));

        issuer.available(false);

        assertThat(accepted(verifier, issuer.sign(claims().subject("bob").build()))
                        .userId())
                .isEqualTo("bob");
    }

    @Test
    void aRotatedKeyIsAcceptedAndARetiredOneIsRefusedOnceTheCacheRefreshes() throws Exception {
        var rotating = verifier(settings().withJwksCache(Duration.ofMillis(500), Duration.ofMillis(100)));
        var oldToken = issuer.sign(claims().build());
        accepted(rotating, oldToken);

        issuer.rotate();
        var newToken = issuer.sign(claims().build());
        assertThat(accepted(rotating, newToken).userId()).isEqualTo("alice");

        issuer.retire(oldKid(oldToken));
        Await.until(
                "the retired key to be refused",
                Duration.ofSeconds(20),
                () -> switch (rotating.verify(oldToken)) {
                    case Verification.Verified verified -> Optional.<Reason>empty();
                    case Verification.Refused refused -> Optional.of(refused.reason());
                },
                Optional::isPresent);
        assertThat(refusal(rotating, oldToken)).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(accepted(rotating, newToken).userId()).isEqualTo("alice");
    }

    @Test
    void hmacModeAcceptsHs256AndRefusesRs256() throws Exception {
        var secret = "a-development-secret-of-32-bytes!!";
        var dev = verifier(AuthSettings.hmac(secret, List.of(AUDIENCE), Optional.empty()));
        var hs256 = JwtIssuer.sign(
                new JWSHeader(JWSAlgorithm.HS256),
                claims().build(),
                new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));

        assertThat(accepted(dev, hs256).userId()).isEqualTo("alice");
        assertThat(refusal(dev, issuer.sign(claims().build()))).isEqualTo(Reason.ALGORITHM);
    }

    private static String oldKid(String token) throws java.text.ParseException {
        return com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID();
    }

    private static Date ago(Duration duration) {
        return Date.from(Instant.now().minus(duration));
    }
}
