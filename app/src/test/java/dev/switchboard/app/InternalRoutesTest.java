package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.delivery.NodeDeliveries;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.management.Console;
import dev.switchboard.app.management.ManagementApi;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.app.protocol.Json;
import dev.switchboard.app.topics.TopicRelay;
import dev.switchboard.authorizer.Principal;
import dev.switchboard.emulators.Await;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The internal socket's routes as production routes them ({@link Main#internalRouting}) — the Management API, the
 * node routes, metrics and the console — through Helidon's direct client: no socket, no emulator. The connections
 * are in-memory sessions; the registry is unreachable (the console says so).
 */
@RoutingTest
class InternalRoutesTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final LocalConnections HUB = new LocalConnections();
    private static final GatewayMetrics METRICS = new GatewayMetrics(HUB::size, HUB::queuedBytes);
    private static final Gateway GATEWAY = new Gateway(
            GatewaySettings.fromEnvironment(
                    Map.of("AUTH_JWKS_URI", "https://issuer.example.com/jwks", "NODE_ID", "n1")),
            URI.create("http://10.0.0.1:8081"),
            new RecordingRecords(HUB),
            HUB,
            METRICS,
            new CountedTopics(),
            new NoFrames(),
            new AwsCalls(2),
            Clock.systemUTC(),
            Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().factory()));
    /** Nothing listens on the discard port: every registry read fails at once. */
    private static final ConnectionRegistry UNREACHABLE = new ConnectionRegistry(
            DynamoDbClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:9"))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(AnonymousCredentialsProvider.create())
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .apiCallTimeout(Duration.ofSeconds(2))
                            .build())
                    .build(),
            RegistrySettings.of("nowhere"),
            Clock.systemUTC());

    private final DirectClient client;

    InternalRoutesTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        Main.internalRouting(
                routing,
                new Console(HUB, METRICS, UNREACHABLE, null, Optional.empty(), "n1", JSON),
                new ManagementApi(HUB, () -> null, METRICS, new FrameLimit(64), JSON, NodeDeliveries.NOTHING_KEPT));
    }

    private static InMemorySession session(String user) {
        var session = new InMemorySession();
        var opened = GATEWAY.open(session, new Principal(user, Optional.empty(), Map.of()), "10.1.1.1", "curl/8");
        assertThat(opened).isPresent();
        return session;
    }

    private static String idOf(String user) {
        return HUB.connectionsOf(user).stream()
                .map(ClientConnection::id)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aPostIsQueuedAsOneTextFrameForTheConnection() {
        var session = session("alice");

        var response = client.post("/@connections/" + idOf("alice")).submit("{\"hello\":1}", String.class);

        assertThat(response.status().code()).isEqualTo(200);
        Await.until("the frame written", Duration.ofSeconds(10), () -> session.texts, t -> t.contains("{\"hello\":1}"));
    }

    @Test
    void aConnectionNotHereIsGoneAsTheSdkExpectsIt() {
        var response = client.post("/@connections/nobody").submit("{}", String.class);

        assertThat(response.status().code()).isEqualTo(410);
        assertThat(response.headers().first(HeaderNames.create("x-amzn-ErrorType")))
                .contains("GoneException");
    }

    @Test
    void aBodyOverTheFrameLimitIs413() {
        session("bob");

        var response = client.post("/@connections/" + idOf("bob")).submit("x".repeat(65), String.class);

        assertThat(response.status().code()).isEqualTo(413);
        assertThat(response.headers().first(HeaderNames.create("x-amzn-ErrorType")))
                .contains("PayloadTooLargeException");
    }

    @Test
    void aGetTellsWhenAndFromWhereInIsoTime() throws Exception {
        session("carol");

        var body = JSON.readTree(client.get("/@connections/" + idOf("carol"))
                .request(String.class)
                .entity());

        assertThat(body.path("connectedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(body.path("identity").path("sourceIp").asText()).isEqualTo("10.1.1.1");
        assertThat(body.path("identity").path("userAgent").asText()).isEqualTo("curl/8");
    }

    @Test
    void aDeleteClosesTheConnectionNormally() {
        var session = session("dave");

        var response = client.delete("/@connections/" + idOf("dave")).request(String.class);

        assertThat(response.status().code()).isEqualTo(204);
        Await.until("the close frame", Duration.ofSeconds(10), () -> session.closes, c -> c.contains(1000));
    }

    @Test
    void aBrokenDeliveriesBodyIs400AndSaysWhy() {
        var response = client.post(NodeDeliveries.PATH).submit("{\"no\":\"requests\"}", String.class);

        assertThat(response.status().code()).isEqualTo(400);
        assertThat(response.headers().first(HeaderNames.create("x-amzn-ErrorType")))
                .contains("BadRequestException");
        assertThat(response.entity()).contains("the body is {\\\"requests\\\":[…]}");
    }

    @Test
    void aRelayBeforeTheNodeIsWiredIs503() {
        var response = client.post(TopicRelay.PATH).submit("4:room2:{}", String.class);

        assertThat(response.status().code()).isEqualTo(503);
    }

    @Test
    void metricsAreThePrometheusText() {
        var response = client.get("/metrics").request(String.class);

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.entity())
                .contains("# TYPE switchboard_connections gauge")
                .contains("switchboard_closes_total{cause=\"drain\"}");
    }

    @Test
    void theConsoleShowsThisNodesConnectionsAndThatTheRegistryCouldNotBeRead() throws Exception {
        session("erin");

        var page = client.get("/console").request(String.class);
        var state = JSON.readTree(
                client.get("/console/api/state").request(String.class).entity());

        assertThat(page.entity()).contains("<title>Switchboard console</title>");
        assertThat(state.path("connections").findValuesAsText("user")).contains("erin");
        assertThat(state.path("nodesError").asText()).startsWith("the registry could not be read");
        assertThat(state.path("canNotify").asBoolean()).isFalse();
    }

    @Test
    void theConsolesFormWithoutANotificationsQueueIsRefused() {
        var response = client.post("/console/api/notify").submit("{\"data\":1}", String.class);

        assertThat(response.status().code()).isEqualTo(409);
        assertThat(response.entity()).contains("NOTIFICATIONS_QUEUE_URL");
    }
}
