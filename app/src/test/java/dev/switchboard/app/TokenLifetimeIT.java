package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A connection ends with its token (4001) unless a fresh token for the same user comes first. No clock skew here. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenLifetimeIT {
    private static final Duration SHORT = Duration.ofSeconds(3);

    private Emulators emulators;
    private GatewayFixture gateway;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        this.emulators = emulators;
        gateway = new GatewayFixture(emulators, names, Map.of("PRESENCE_TARGET", "none", "AUTH_CLOCK_SKEW", "PT0S"));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private String token(String user, Instant expiresAt) {
        var issuer = emulators.issuer();
        return issuer.sign(issuer.claims(user, "switchboard")
                .expirationTime(Date.from(expiresAt))
                .build());
    }

    /** The {@code exp} a token gets: JWT times are whole seconds. */
    private static Instant exp(Instant at) {
        return Instant.ofEpochSecond(at.getEpochSecond());
    }

    @Test
    void aConnectionIsClosedWith4001WhenItsTokenExpires() throws Exception {
        var expiresAt = Instant.now().plus(SHORT);
        try (var client = TestClient.connect(gateway.ws(token("ken", expiresAt)))) {
            assertThat(client.pingForConnectionId()).isNotBlank();

            assertThat(client.closed().get(20, TimeUnit.SECONDS)).isEqualTo(4001);
            assertThat(Instant.now()).as("not before its exp").isAfterOrEqualTo(exp(expiresAt));
        }
        assertThat(gateway.metrics()).containsPattern("switchboard_closes_total\\{cause=\"token_expired\",?} [1-9]");
    }

    @Test
    void aFreshTokenKeepsTheConnectionPastTheOldExpiry() throws Exception {
        var expiresAt = Instant.now().plus(SHORT);
        try (var client = TestClient.connect(gateway.ws(token("lena", expiresAt)))) {
            var id = client.pingForConnectionId();
            var later = Instant.now().plus(Duration.ofHours(1));

            client.send("{\"type\":\"refresh\",\"token\":\"" + token("lena", later) + "\"}");

            assertThat(client.next("refreshed").path("exp").asLong()).isEqualTo(later.getEpochSecond());
            Await.until(
                    "the first token's expiry to pass, answering pings meanwhile",
                    Duration.ofSeconds(20),
                    () -> {
                        try {
                            return client.pingForConnectionId();
                        } catch (Exception e) {
                            throw new AssertionError("the connection stopped answering", e);
                        }
                    },
                    answered -> Instant.now().isAfter(exp(expiresAt).plusSeconds(1)));
            assertThat(client.pingForConnectionId()).as("the same connection").isEqualTo(id);
            assertThat(client.closed()).isNotDone();
        }
    }

    @Test
    void aRefusedRefreshLeavesTheConnectionAsItWas() throws Exception {
        var expiresAt = Instant.now().plus(SHORT);
        try (var client = TestClient.connect(gateway.ws(token("mona", expiresAt)))) {
            var later = Instant.now().plus(Duration.ofHours(1));
            var refused = new String[] {
                token("someone-else", later), // another user's
                token("mona", Instant.now().minusSeconds(5)), // expired
                "not-a-token",
                emulators
                        .issuer()
                        .sign(emulators
                                .issuer()
                                .claims("mona", "another-audience")
                                .build())
            };
            for (var token : refused) {
                client.send("{\"type\":\"refresh\",\"token\":\"" + token + "\"}");
                var error = client.next("error");
                assertThat(error.path("code").asText()).isEqualTo("invalid_token");
                assertThat(error.path("message").asText()).doesNotContain(token);
            }
            client.send("{\"type\":\"refresh\"}");
            assertThat(client.next("error").path("code").asText()).isEqualTo("invalid_field");
            assertThat(client.pingForConnectionId()).as("still up").isNotBlank();

            assertThat(client.closed().get(20, TimeUnit.SECONDS))
                    .as("and still ends with its own token")
                    .isEqualTo(4001);
        }
    }
}
