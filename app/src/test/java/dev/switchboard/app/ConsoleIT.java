package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The console on the internal port: what it shows of a node, and its notification form; never on the public port. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayFixture gateway;
    private String notifications;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        notifications = emulators
                .sqsClient()
                .createQueue(b -> b.queueName(names.unique("notifications")))
                .queueUrl();
        gateway = new GatewayFixture(
                emulators, names, Map.of("PRESENCE_TARGET", "none", "NOTIFICATIONS_QUEUE_URL", notifications));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsoleShowsThisNodesConnectionsTopicsAndNodes() throws Exception {
        try (var client = gateway.connect("olga")) {
            client.send("{\"type\":\"subscribe\",\"topics\":[\"console-room\"]}");
            client.pingForConnectionId();

            var page = get(gateway.management(), "/console");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body())
                    .contains("<title>Switchboard console</title>")
                    .doesNotContain("https://");
            assertThat(get(gateway.management(), "/console/console.js").statusCode())
                    .isEqualTo(200);

            var state = JSON.readTree(
                    get(gateway.management(), "/console/api/state").body());
            assertThat(state.path("connections").findValuesAsText("user")).contains("olga");
            assertThat(state.path("connections").get(0).path("topics").get(0).asText())
                    .isEqualTo("console-room");
            assertThat(state.path("topics").findValuesAsText("topic")).contains("console-room");
            assertThat(state.path("nodes").findValuesAsText("id"))
                    .contains(gateway.server.gateway().settings().nodeId());
            assertThat(state.path("samples").size()).isPositive();
            assertThat(state.path("canNotify").asBoolean()).isTrue();
        }
    }

    @Test
    void theFormSendsANotificationRequestToTheQueueAndBadOnesAreRefused() throws Exception {
        var request = "{\"users\":[\"olga\"],\"data\":{\"notice\":\"from the console\"}}";
        var sent = http.send(
                HttpRequest.newBuilder(gateway.management().resolve("/console/api/notify"))
                        .POST(HttpRequest.BodyPublishers.ofString(request))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

        var received = Await.until(
                "the request on the notifications queue",
                Duration.ofSeconds(10),
                () -> gateway.emulators
                        .sqsClient()
                        .receiveMessage(b -> b.queueUrl(notifications).waitTimeSeconds(1))
                        .messages(),
                messages -> !messages.isEmpty());
        assertThat(JSON.readTree(received.getFirst().body())).isEqualTo(JSON.readTree(request));

        for (var bad : new String[] {"not json", "[1]", "{\"users\":[\"x\"]}"}) {
            var refused = http.send(
                    HttpRequest.newBuilder(gateway.management().resolve("/console/api/notify"))
                            .POST(HttpRequest.BodyPublishers.ofString(bad))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void thePublicPortHasNoConsole() throws Exception {
        var publicPort = URI.create("http://127.0.0.1:" + gateway.server.port());
        assertThat(get(publicPort, "/console").statusCode()).isEqualTo(404);
        assertThat(get(publicPort, "/console/api/state").statusCode()).isEqualTo(404);
        // (The page, not the state: reading the state caches the topics for the other tests' five seconds.)
        assertThat(get(gateway.management(), "/console").statusCode())
                .as("where it is")
                .isEqualTo(200);
    }
}
