package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.pusher.metrics.PusherMetrics;
import dev.switchboard.pusher.metrics.PusherMetrics.MessageOutcome;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ServerFeature;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpFeatures;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pusher's HTTP port as it is routed in production ({@code /metrics}, {@code /health}), on Helidon's test server. */
@ServerTest
class PusherRoutesIT {
    private static final AtomicBoolean READY = new AtomicBoolean(true);
    private static final PusherMetrics METRICS = new PusherMetrics(() -> 3);

    private final Http1Client client;

    PusherRoutesIT(Http1Client client) {
        this.client = client;
    }

    @SetUpFeatures
    static List<ServerFeature> features() {
        return List.of(PusherServer.health(READY::get));
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        PusherServer.routing(routing, METRICS);
    }

    @AfterEach
    void ready() {
        READY.set(true);
    }

    @Test
    void metricsAreThePrometheusTextOfEveryOutcome() {
        METRICS.message(MessageOutcome.REFUSED);

        try (var response = client.get("/metrics").request()) {
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().first(HeaderNames.CONTENT_TYPE))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(response.as(String.class))
                    .contains("switchboard_pusher_messages_total{outcome=\"refused\"} 1.0")
                    .contains("switchboard_pusher_messages_total{outcome=\"released\"} 0.0")
                    .contains("switchboard_pusher_messages_in_flight 3.0");
        }
    }

    @Test
    void aPusherThatStoppedPollingIsNotReadyButLive() {
        assertThat(client.get("/health/ready").request(String.class).status().code())
                .isEqualTo(200);

        READY.set(false);

        assertThat(client.get("/health/ready").request(String.class).status().code())
                .isEqualTo(503);
        assertThat(client.get("/health/live").request(String.class).status().code())
                .isEqualTo(200);
    }
}
