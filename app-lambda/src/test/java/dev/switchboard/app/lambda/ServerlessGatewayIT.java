package dev.switchboard.app.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.Main.AwsClients;
import dev.switchboard.authorizer.lambda.ConnectAuthorizer;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.pusher.PusherSettings;
import dev.switchboard.pusher.lambda.NotificationsHandler;
import dev.switchboard.registry.ApiGatewayNodes;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.registry.RegistryTable;
import dev.switchboard.settings.Settings;
import io.helidon.config.ConfigSources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The serverless gateway's handler on API Gateway WebSocket events (fixtures in {@code events/}), its $connect
 * context made by the real authorizer Lambda from a real signed token, against the emulators; its Management API
 * posts reach a stand-in over HTTP that records them. SUMU's README flows — token in the query, ping, send, publish,
 * users and broadcast notifications through the pusher's Lambda — and y-webrtc's topic frames on $default.
 */
@ExtendWith(EmulatorsExtension.class)
class ServerlessGatewayIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Emulators emulators;
    private final TestNames names;
    private ManagementStandIn api;
    private String table;
    private String queueUrl;
    private String topicQueueUrl;
    private String topicArn;
    private ConnectionRegistry registry;
    private WebSocketHandler handler;
    private ConnectAuthorizer authorizer;

    ServerlessGatewayIT(Emulators emulators, TestNames names) {
        this.emulators = emulators;
        this.names = names;
    }

    @BeforeEach
    void start() {
        api = new ManagementStandIn();
        table = names.unique("connections");
        RegistryTable.create(emulators.dynamoDbClient(), RegistrySettings.of(table));
        registry = new ConnectionRegistry(emulators.dynamoDbClient(), RegistrySettings.of(table), Clock.systemUTC());
        var sqs = emulators.sqsClient();
        queueUrl = sqs.createQueue(b -> b.queueName(names.unique("messages"))).queueUrl();
        topicQueueUrl =
                sqs.createQueue(b -> b.queueName(names.unique("from-topic"))).queueUrl();
        topicArn = emulators
                .snsClient()
                .createTopic(b -> b.name(names.unique("messages")))
                .topicArn();
        var topicQueueArn = sqs.getQueueAttributes(
                        b -> b.queueUrl(topicQueueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        emulators.snsClient().subscribe(b -> b.topicArn(topicArn)
                .protocol("sqs")
                .endpoint(topicQueueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        handler = handler(Map.of());
        authorizer = ConnectAuthorizer.fromEnvironment(Map.of(
                "AUTH_JWKS_URI", emulators.issuer().jwksUri().toString(),
                "AUTH_AUDIENCES", "switchboard",
                "AUTH_CONTEXT_CLAIMS", "rooms"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private WebSocketHandler handler(Map<String, String> overrides) {
        var config = new HashMap<String, String>(Map.of(
                "connections.table",
                table,
                "connections.claims",
                "rooms",
                "messages.queue.url",
                queueUrl,
                "messages.topic.arn",
                topicArn,
                "presence.target",
                "queue",
                "apigw.endpoint",
                api.endpoint().toString(),
                "topics.rules",
                "[{\"pattern\":\"private-{claim.rooms}\",\"subscribe\":true,\"publish\":true},"
                        + "{\"pattern\":\"private-*\",\"subscribe\":false,\"publish\":false},"
                        + "{\"pattern\":\"*\",\"subscribe\":true,\"publish\":true}]"));
        config.putAll(overrides);
        var settings = ServerlessSettings.from(Settings.of(Settings.config(
                ServerlessSettings.DEFAULTS_FILES, ConfigSources.create(config).build())));
        return new WebSocketHandler(
                settings, new AwsClients(emulators.dynamoDbClient(), emulators.sqsClient(), emulators.snsClient()));
    }

    @Test
    void sumusClientFlowsWorkThroughTheHandlers() throws Exception {
        var alice = names.unique("alice");
        var bob = names.unique("bob");
        var aliceConnection = connect(alice, List.of());
        var bobConnection = connect(bob, List.of());

        // Recorded under API Gateway's pseudo-nodes, with the API's endpoint; ONLINE announced once per user.
        var record = registry.connections().connection(aliceConnection.id).orElseThrow();
        assertThat(record.nodeId()).isEqualTo(ApiGatewayNodes.nodeOf(aliceConnection.id));
        assertThat(record.endpoint()).isEqualTo(api.endpoint().toString());
        assertThat(presence(alice, "ONLINE")).isNotNull();

        // {"action":"ping"} is answered on the connection, as SUMU's gateway answers it.
        aliceConnection.send("ping", "{\"action\":\"ping\"}");
        var pong = aliceConnection.next(0);
        assertThat(pong.path("type").asText()).isEqualTo("pong");
        assertThat(pong.path("statusCode").asInt()).isEqualTo(200);
        assertThat(pong.path("connectionId").asText()).isEqualTo(aliceConnection.id);

        // send → the messages queue, publish → the messages topic, each with SUMU's attributes.
        aliceConnection.send("send", "{\"action\":\"send\",\"message\":{\"hello\":\"queue\"}}");
        var sent = received(queueUrl, m -> m.body().contains("\"queue\""));
        assertThat(sent.messageAttributes().get("user_id").stringValue()).isEqualTo(alice);
        assertThat(sent.messageAttributes().get("connection_id").stringValue()).isEqualTo(aliceConnection.id);
        assertThat(sent.messageAttributes().get("kind").stringValue()).isEqualTo("client");
        aliceConnection.send("publish", "{\"action\":\"publish\",\"message\":{\"hello\":\"topic\"}}");
        var published = received(topicQueueUrl, m -> m.body().contains("\"topic\""));
        assertThat(published.body()).isEqualTo("{\"hello\":\"topic\"}");

        // Backends → clients through the pusher's Lambda, delivering through the API: a user, then everyone.
        var pusher = new NotificationsHandler(
                PusherSettings.from(PusherSettings.config(ConfigSources.create(Map.of(
                                "notifications.queue.url",
                                "lambda-event-source",
                                "connections.table",
                                table,
                                "apigw.endpoint",
                                api.endpoint().toString()))
                        .build())),
                emulators.dynamoDbClient());
        var response = pusher.handleRequest(
                sqsEvent(
                        "{\"users\":[\"" + alice + "\"],\"data\":{\"to\":\"alice\"}}",
                        "{\"data\":{\"to\":\"everyone\"}}",
                        "{\"data\":{\"to\":\"all but bob\"},\"exclude_users\":[\"" + bob + "\"]}"),
                null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(aliceConnection.texts(1))
                .containsExactlyInAnyOrder("{\"to\":\"alice\"}", "{\"to\":\"everyone\"}", "{\"to\":\"all but bob\"}");
        assertThat(bobConnection.texts(0)).containsExactly("{\"to\":\"everyone\"}");

        // $disconnect removes every item and announces OFFLINE.
        aliceConnection.disconnect();
        assertThat(registry.connections().connection(aliceConnection.id)).isEmpty();
        assertThat(registry.connections().connectionsOf(alice)).isEmpty();
        assertThat(presence(alice, "OFFLINE")).isNotNull();
        assertThat(registry.connections().connectionsOf(bob)).hasSize(1);
    }

    @Test
    void yWebrtcTopicFramesOnTheDefaultRouteReachEverySubscriberAsTheServerSendsThem() throws Exception {
        var alice = connect(names.unique("alice"), List.of("red"));
        var bob = connect(names.unique("bob"), List.of());
        alice.send("$default", "{\"type\":\"subscribe\",\"topics\":[\"room\",\"private-red\"]}");
        bob.send("$default", "{\"type\":\"subscribe\",\"topics\":[\"room\",\"private-red\"]}");
        // bob's token has no room red: told about that topic alone, his other subscription stands.
        var refused = bob.next(0);
        assertThat(refused.path("code").asText()).isEqualTo("forbidden");
        assertThat(refused.path("topic").asText()).isEqualTo("private-red");

        var frame = "{\"type\":\"publish\",\"topic\":\"room\",\"data\":{\"n\":1.50}}";
        bob.send("$default", frame);
        // The frame byte for byte, plus clients, to each subscriber, the sender included (y-webrtc's server).
        var relayed = "{\"type\":\"publish\",\"topic\":\"room\",\"data\":{\"n\":1.50},\"clients\":2}";
        assertThat(alice.texts(0)).containsExactly(relayed);
        assertThat(bob.texts(1)).containsExactly(relayed);

        alice.send("$default", "{\"type\":\"publish\",\"topic\":\"private-red\",\"data\":\"x\"}");
        assertThat(alice.next(1).path("clients").asInt()).isEqualTo(1);
        bob.send("$default", "{\"type\":\"publish\",\"topic\":\"private-red\",\"data\":\"y\"}");
        assertThat(bob.next(2).path("code").asText()).isEqualTo("forbidden");

        bob.send("$default", "{\"type\":\"unsubscribe\",\"topics\":[\"room\"]}");
        alice.send("$default", "{\"type\":\"publish\",\"topic\":\"room\",\"data\":2}");
        assertThat(alice.next(2).path("clients").asInt()).isEqualTo(1);

        alice.send("$default", "{\"type\":\"ping\"}");
        assertThat(alice.next(3).toString()).isEqualTo("{\"type\":\"pong\"}");
        assertThat(api.postsTo(bob.id)).hasSize(3);
    }

    @Test
    void badFramesAreAnsweredWithAnErrorAndTheConnectionStays() throws Exception {
        var alice = connect(names.unique("alice"), List.of());
        alice.send("$default", "not json");
        alice.send("$default", "{\"type\":\"dance\"}");
        alice.send("$default", "{\"action\":\"fly\"}");
        alice.send("$default", "{\"type\":\"history\",\"topic\":\"room\"}");
        alice.send("$default", "{\"type\":\"subscribe\",\"topics\":[\"room\"],\"presence\":true}");
        alice.sendBinary("AAEC");
        alice.send("$default", "{\"type\":\"publish\",\"topic\":\"room\",\"data\":\"" + "x".repeat(140_000) + "\"}");

        var codes = new ArrayList<String>();
        for (var i = 0; i < 7; i++) {
            codes.add(alice.next(i).path("code").asText());
        }
        assertThat(codes)
                .containsExactly(
                        "invalid_json",
                        "unknown_type",
                        "unknown_action",
                        "not_supported",
                        "not_supported",
                        "binary_not_supported",
                        "frame_too_large");
        // The subscribe itself stood: a publish reaches the sender.
        alice.send("$default", "{\"type\":\"publish\",\"topic\":\"room\",\"data\":1}");
        assertThat(alice.next(7).path("clients").asInt()).isEqualTo(1);
    }

    @Test
    void aSubscriberTheApiReportsGoneIsRemovedWhenAPublishFindsIt() throws Exception {
        var alice = connect(names.unique("alice"), List.of());
        var ghost = connect(names.unique("ghost"), List.of());
        alice.send("$default", "{\"type\":\"subscribe\",\"topics\":[\"room\"]}");
        ghost.send("$default", "{\"type\":\"subscribe\",\"topics\":[\"room\"]}");
        api.markGone(ghost.id); // its $disconnect never came

        alice.send("$default", "{\"type\":\"publish\",\"topic\":\"room\",\"data\":1}");

        assertThat(alice.next(0).path("clients").asInt()).isEqualTo(2);
        assertThat(registry.connections().connection(ghost.id)).isEmpty();
        assertThat(registry.topics().subscribersOf("room"))
                .extracting(t -> t.connectionId())
                .containsExactly(alice.id);
    }

    @Test
    void aConnectWithoutTheAuthorizersContextIsRefused() throws Exception {
        var event = fixture("connect.json");
        var connectionId = names.unique("c");
        ((ObjectNode) event.path("requestContext")).put("connectionId", connectionId);

        assertThat(invoke(event)).isEqualTo(ServerlessGateway.UNAUTHORIZED);
        assertThat(registry.connections().connection(connectionId)).isEmpty();
    }

    /** One client behind the API: its events, and what the API posted to it. */
    private final class Client {
        final String id;
        final ObjectNode authorizerContext;

        Client(String id, ObjectNode authorizerContext) {
            this.id = id;
            this.authorizerContext = authorizerContext;
        }

        void send(String route, String body) throws IOException {
            var event = event("message.json");
            ((ObjectNode) event.path("requestContext")).put("routeKey", route);
            event.put("body", body);
            assertThat(invoke(event)).isEqualTo(ServerlessGateway.OK);
        }

        void sendBinary(String base64) throws IOException {
            var event = event("message.json");
            ((ObjectNode) event.path("requestContext")).put("routeKey", "$default");
            event.put("body", base64).put("isBase64Encoded", true);
            assertThat(invoke(event)).isEqualTo(ServerlessGateway.OK);
        }

        void disconnect() throws IOException {
            assertThat(invoke(event("disconnect.json"))).isEqualTo(ServerlessGateway.OK);
        }

        ObjectNode event(String fixture) throws IOException {
            var event = fixture(fixture);
            var context = (ObjectNode) event.path("requestContext");
            context.put("connectionId", id);
            context.set("authorizer", authorizerContext);
            return event;
        }

        /** The {@code index}th post to this connection (0 = the first), waited for. */
        JsonNode next(int index) {
            var posts = Await.until("post " + index + " to " + id, WAIT, () -> api.postsTo(id), p -> p.size() > index);
            try {
                return JSON.readTree(posts.get(index));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The posts to this connection after the first {@code skip}, once one has come. */
        List<String> texts(int skip) {
            Await.until("posts to " + id, WAIT, () -> api.postsTo(id), p -> p.size() > skip);
            var all = api.postsTo(id);
            return all.subList(skip, all.size());
        }
    }

    /** $connect as API Gateway makes it: the authorizer Lambda's answer on a real token, then the integration. */
    private Client connect(String user, List<String> rooms) throws IOException {
        var issuer = emulators.issuer();
        var token = issuer.sign(
                issuer.claims(user, "switchboard").claim("rooms", rooms).build());
        var answer = authorizer.handleRequest(
                Map.of(
                        "type", "REQUEST",
                        "methodArn", "arn:aws:execute-api:us-east-1:123456789012:abcdef123/production/$connect",
                        "queryStringParameters", Map.of("authorization", token)),
                null);
        assertThat(answer.get("principalId")).isEqualTo(user);
        var context = JSON.valueToTree(answer.get("context"));
        ((ObjectNode) context).put("principalId", user);
        var client = new Client(names.unique("conn") + "=", (ObjectNode) context);
        var event = client.event("connect.json");
        ((ObjectNode) event.path("queryStringParameters")).put("authorization", token);
        assertThat(invoke(event)).isEqualTo(ServerlessGateway.OK);
        return client;
    }

    private int invoke(JsonNode event) throws IOException {
        var out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
        return JSON.readTree(out.toByteArray()).path("statusCode").asInt();
    }

    private static ObjectNode fixture(String name) throws IOException {
        try (var in = ServerlessGatewayIT.class.getResourceAsStream("/events/" + name)) {
            return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private JsonNode presence(String user, String status) {
        var message =
                received(queueUrl, m -> m.body().contains(user) && m.body().contains(status));
        assertThat(message.messageAttributes().get("kind").stringValue()).isEqualTo("presence");
        try {
            return JSON.readTree(message.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Message received(String queue, Predicate<Message> wanted) {
        var seen = new ArrayList<Message>();
        return Await.until(
                        "a message in " + queue,
                        WAIT,
                        () -> {
                            seen.addAll(emulators
                                    .sqsClient()
                                    .receiveMessage(b -> b.queueUrl(queue)
                                            .maxNumberOfMessages(10)
                                            .waitTimeSeconds(1)
                                            .messageAttributeNames("All"))
                                    .messages());
                            return seen.stream().filter(wanted).findFirst();
                        },
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    private static SQSEvent sqsEvent(String... bodies) {
        var records = new ArrayList<SQSEvent.SQSMessage>();
        for (var i = 0; i < bodies.length; i++) {
            var message = new SQSEvent.SQSMessage();
            message.setMessageId("m" + i);
            message.setBody(bodies[i]);
            message.setEventSource("aws:sqs");
            records.add(message);
        }
        var event = new SQSEvent();
        event.setRecords(records);
        return event;
    }
}
