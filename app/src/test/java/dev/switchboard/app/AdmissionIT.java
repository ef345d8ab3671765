package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's limits on a running gateway behind one trusted proxy: connections per user, new connections per
 * second per source address (taken from the right end of X-Forwarded-For), and the topic-node cache's size.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionIT {
    private GatewayFixture gateway;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        gateway = new GatewayFixture(
                emulators,
                names,
                Map.of(
                        "PRESENCE_TARGET", "none",
                        "LIMITS_USER_CONNECTIONS", "2",
                        "LIMITS_CONNECT_RATE", "0.001",
                        "LIMITS_CONNECT_BURST", "3",
                        "TRUSTED_PROXIES", "1",
                        "TOPICS_CACHED", "5"));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private TestClient connect(String user, String forwardedFor) {
        return TestClient.connect(gateway.ws(gateway.token(user)), Map.of("X-Forwarded-For", forwardedFor));
    }

    private static void refused429(Runnable connect) {
        assertThatThrownBy(connect::run)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(429));
    }

    private String sourceOf(TestClient client) throws Exception {
        var id = client.pingForConnectionId();
        return gateway.server.gateway().hub().get(id).orElseThrow().sourceIp();
    }

    @Test
    void aUserHoldsAtMostItsLimitAndGetsAPlaceBackWhenOneCloses() throws Exception {
        var first = connect("nina", "198.51.100.1");
        try (var second = connect("nina", "198.51.100.2");
                var other = connect("oscar", "198.51.100.3")) {
            assertThat(second.pingForConnectionId()).isNotBlank();
            assertThat(other.pingForConnectionId())
                    .as("another user is not counted")
                    .isNotBlank();

            refused429(() -> connect("nina", "198.51.100.4"));

            first.close();
            Await.until(
                    "nina's first connection to be gone",
                    Duration.ofSeconds(10),
                    () -> gateway.server.gateway().hub().connectionsOf("nina").size(),
                    held -> held < 2);
            try (var again = connect("nina", "198.51.100.5")) {
                assertThat(again.pingForConnectionId()).isNotBlank();
            }
        }
        assertThat(gateway.metrics())
                .containsPattern("switchboard_handshake_refusals_total\\{reason=\"user_connections\",?} [1-9]");
    }

    @Test
    void anAddressOpensAtMostItsBurstAndAForgedLeftEntryChangesNothing() throws Exception {
        var open = new ArrayList<TestClient>();
        try {
            for (int i = 0; i < 3; i++) {
                // Whatever the client put left of the proxy's entry is not its address.
                open.add(connect("flood-" + i, "10.9.9." + i + ", 203.0.113.9"));
            }
            assertThat(sourceOf(open.get(0))).isEqualTo("203.0.113.9");

            refused429(() -> connect("flood-3", "10.9.9.3, 203.0.113.9"));
            try (var elsewhere = connect("flood-4", "203.0.113.10")) {
                assertThat(sourceOf(elsewhere))
                        .as("another address has its own rate")
                        .isEqualTo("203.0.113.10");
            }
        } finally {
            open.forEach(TestClient::close);
        }
        assertThat(gateway.metrics())
                .containsPattern("switchboard_handshake_refusals_total\\{reason=\"connect_rate\",?} [1-9]");
    }

    @Test
    void theTopicNodeCacheKeepsAtMostItsSize() throws Exception {
        try (var client = connect("pia", "203.0.113.20")) {
            for (int i = 0; i < 20; i++) {
                client.send("{\"type\":\"publish\",\"topic\":\"random-" + i + "\",\"data\":1}");
            }
            client.pingForConnectionId(); // every publish above was handled
            assertThat(gateway.metrics()).containsPattern("switchboard_topics_cached(\\{})? [1-5]\\.0");
        }
    }
}
