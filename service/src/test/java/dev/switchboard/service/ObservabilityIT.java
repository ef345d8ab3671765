package dev.switchboard.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Helidon's health observer as our services use it: a real server, real HTTP. */
class ObservabilityIT {
    private static final String INTERNAL = "internal";

    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final WebServer server = WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .putSocket(INTERNAL, socket -> socket.host("127.0.0.1").port(0))
            .addFeature(Observability.health(INTERNAL, "test", ready::get))
            .build()
            .start();

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void healthIsUpWhileReady() throws Exception {
        for (var path : new String[] {"/health", "/health/ready", "/health/live"}) {
            var response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).startsWith("{\"status\":\"UP\"");
        }
    }

    @Test
    void whenNotReadyReadinessAndTheWholeAre503ButLivenessStaysUp() throws Exception {
        ready.set(false);

        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/health/ready").body()).startsWith("{\"status\":\"DOWN\"");
        assertThat(get("/health").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void itIsOnlyOnTheGivenSocket() throws Exception {
        var publicSocket = URI.create("http://127.0.0.1:" + server.port());

        assertThat(get(publicSocket.resolve("/health")).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(URI.create("http://127.0.0.1:" + server.port(INTERNAL) + path));
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
