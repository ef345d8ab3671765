package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node contract of the pusher's deliveries ({@code POST /@deliveries}): selectors resolved from the node's hub,
 * every target once and nobody else, a repeated request id not delivered again, a bad body refused whole.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeDeliveriesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayFixture gateway;
    private HttpClient http;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        gateway = new GatewayFixture(emulators, names, Map.of("PRESENCE_TARGET", "none"));
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    void stop() {
        http.close();
        gateway.close();
    }

    @Test
    void eachSelectorReachesExactlyItsTargetsOnce(TestNames names) throws Exception {
        var alice = names.unique("alice");
        var bob = names.unique("bob");
        var carol = names.unique("carol");
        var news = names.unique("news");
        try (var alice1 = gateway.connect(alice);
                var alice2 = gateway.connect(alice);
                var bob1 = subscribed(gateway.connect(bob), news);
                var carol1 = subscribed(gateway.connect(carol), news)) {
            alice1.pingForConnectionId();
            alice2.pingForConnectionId();

            var results = post("""
                    {"requests":[
                      {"id":"%1$s-1","users":["%2$s"],"data":"{\\"n\\":1}"},
                      {"id":"%1$s-2","topics":["%4$s"],"exclude_users":["%3$s"],"data":"{\\"n\\":2}"},
                      {"id":"%1$s-3","everyone":true,"exclude_users":["%2$s"],"data":"{\\"n\\":3}"},
                      {"id":"%1$s-4","users":["%5$s"],"topics":["%4$s"],"data":"{\\"n\\":4}"}
                    ]}""".formatted(names.unique("req"), alice, carol, news, bob));

            assertThat(results.path("results"))
                    .extracting(r -> r.path("delivered").asInt())
                    .containsExactly(2, 1, 2, 2);
            assertThat(results.path("results"))
                    .allSatisfy(r -> assertThat(r.path("repeat").asBoolean()).isFalse());
            assertReceivesExactly(alice1, 1);
            assertReceivesExactly(alice2, 1);
            assertReceivesExactly(bob1, 2, 3, 4); // a user and a topic of the same request: one frame
            assertReceivesExactly(carol1, 3, 4);
        }
    }

    @Test
    void aRequestDeliveredBeforeIsNotDeliveredAgain(TestNames names) throws Exception {
        var user = names.unique("dave");
        try (var client = gateway.connect(user)) {
            client.pingForConnectionId();
            var body = """
                    {"requests":[{"id":"%s","users":["%s"],"data":"{\\"n\\":7}"}]}""".formatted(names.unique("redelivered"), user);

            var first = post(body);
            var again = post(body); // the queue handing the same message out again

            assertThat(first.path("results").get(0).path("delivered").asInt()).isEqualTo(1);
            assertThat(again.path("results").get(0).path("repeat").asBoolean()).isTrue();
            assertThat(again.path("results").get(0).path("delivered").asInt()).isZero();
            assertReceivesExactly(client, 7);
        }
    }

    @Test
    void aBadBodyIsRefusedWholeAndDeliversNothing(TestNames names) throws Exception {
        var user = names.unique("erin");
        try (var client = gateway.connect(user)) {
            client.pingForConnectionId();

            var response = send("""
                    {"requests":[{"id":"ok","users":["%s"],"data":"{}"},{"id":"bad","users":"%s","data":"{}"}]}""".formatted(user, user));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body())
                    .contains("request bad")
                    .contains("users")
                    .contains("is an array of strings");
            assertThat(send("not json").statusCode()).isEqualTo(400);
            assertReceivesExactly(client);
        }
    }

    private static TestClient subscribed(TestClient client, String topic) throws Exception {
        client.send("{\"type\":\"subscribe\",\"topics\":[\"" + topic + "\"]}");
        client.pingForConnectionId();
        return client;
    }

    /** The client's next frames are these notifications, then nothing before the pong of a ping sent after. */
    private static void assertReceivesExactly(TestClient client, int... ns) throws Exception {
        var received = new ArrayList<Integer>();
        for (var ignored : ns) {
            received.add(client.next().path("n").asInt());
        }
        assertThat(received).containsExactlyElementsOf(Arrays.stream(ns).boxed().toList());
        client.send("{\"action\":\"ping\"}");
        assertThat(client.next().path("type").asText()).as("nothing else").isEqualTo("pong");
    }

    private JsonNode post(String body) throws Exception {
        var response = send(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(gateway.management() + "/@deliveries"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
