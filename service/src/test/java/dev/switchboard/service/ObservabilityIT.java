package dev.switchboard.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.spi.ServerFeature;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpFeatures;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.helidon.webserver.testing.junit5.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Helidon's health observer as our services use it, on an internal socket of Helidon's test server. */
@ServerTest
class ObservabilityIT {
    private static final String INTERNAL = "internal";
    private static final AtomicBoolean READY = new AtomicBoolean(true);

    private final Http1Client internal;
    private final Http1Client external;

    ObservabilityIT(@Socket(INTERNAL) Http1Client internal, Http1Client external) {
        this.internal = internal;
        this.external = external;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        server.putSocket(INTERNAL, socket -> socket.host("localhost").port(0));
    }

    @SetUpFeatures
    static List<ServerFeature> features() {
        return List.of(Observability.health(INTERNAL, "test", READY::get));
    }

    @AfterEach
    void ready() {
        READY.set(true);
    }

    @Test
    void healthIsUpWhileReady() {
        for (var path : List.of("/health", "/health/ready", "/health/live")) {
            try (var response = internal.get(path).request()) {
                assertThat(response.status().code()).as(path).isEqualTo(200);
                assertThat(response.as(String.class)).as(path).startsWith("{\"status\":\"UP\"");
            }
        }
    }

    @Test
    void whenNotReadyReadinessAndTheWholeAre503ButLivenessStaysUp() {
        READY.set(false);

        try (var response = internal.get("/health/ready").request()) {
            assertThat(response.status().code()).isEqualTo(503);
            assertThat(response.as(String.class)).startsWith("{\"status\":\"DOWN\"");
        }
        assertThat(internal.get("/health").request(String.class).status().code())
                .isEqualTo(503);
        assertThat(internal.get("/health/live").request(String.class).status().code())
                .isEqualTo(200);
    }

    @Test
    void itIsOnlyOnTheGivenSocket() {
        assertThat(external.get("/health").request(String.class).status().code())
                .isEqualTo(404);
    }
}
