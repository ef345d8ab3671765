package dev.switchboard.app.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.registry.ConnectionRegistry;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The node's console, on the internal port only ({@code /console}): this node's connections (user, since, topics),
 * its topics with their subscribers on every node (read at most every five seconds), the live nodes, recent errors and closes, key metrics over time
 * (sampled each time the page asks, kept for the last {@value #KEPT_SAMPLES} asks), and a form that sends a
 * notification request through the notifications queue — as a backend would, so the pusher delivers it. The page
 * and its script are this module's resources: nothing is fetched from outside. Thread-safe.
 */
public final class Console {
    /** Connections and topics listed at most (the console of a node with 100,000 is a sample, not a dump). */
    static final int SHOWN = 200;

    static final int KEPT_SAMPLES = 300;

    /** How long the topics' node counts are reused. */
    static final java.time.Duration TOPICS_REFRESH = java.time.Duration.ofSeconds(5);

    private record Topics(long readAt, com.fasterxml.jackson.databind.node.ArrayNode topics) {}

    private volatile Topics topics;

    private final LocalConnections hub;
    private final GatewayMetrics metrics;
    private final ConnectionRegistry registry;
    private final SqsClient sqs;
    private final Optional<String> notificationsQueueUrl;
    private final String nodeId;
    private final ObjectMapper json;
    private final String page = resource("console/index.html");
    private final String script = resource("console/console.js");
    private final ArrayDeque<JsonNode> samples = new ArrayDeque<>();

    public Console(
            LocalConnections hub,
            GatewayMetrics metrics,
            ConnectionRegistry registry,
            SqsClient sqs,
            Optional<String> notificationsQueueUrl,
            String nodeId,
            ObjectMapper json) {
        this.hub = hub;
        this.metrics = metrics;
        this.registry = registry;
        this.sqs = sqs;
        this.notificationsQueueUrl = notificationsQueueUrl;
        this.nodeId = nodeId;
        this.json = json;
    }

    public void routing(HttpRouting.Builder routing) {
        routing.get("/console", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                        .send(page))
                .get("/console/console.js", (req, res) -> res.header(
                                HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8")
                        .send(script))
                .get("/console/api/state", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/json")
                        .send(state()))
                .post("/console/api/notify", this::notify);
    }

    /** Everything the page shows, as one JSON object. */
    String state() {
        var state = json.createObjectNode().put("node", nodeId).put("at", System.currentTimeMillis());
        var connections = state.putArray("connections");
        hub.all().stream()
                .sorted(Comparator.comparing(ClientConnection::userId))
                .limit(SHOWN)
                .forEach(c -> {
                    var item = connections
                            .addObject()
                            .put("id", c.id())
                            .put("user", c.userId())
                            .put("since", c.record().connectedAt().toString())
                            .put("sourceIp", c.sourceIp());
                    c.topicList().stream().sorted().forEach(item.putArray("topics")::add);
                });
        state.put("connectionCount", hub.size());
        state.set("topics", topics());
        var nodes = state.putArray("nodes");
        try {
            registry.nodes().live().forEach(n -> nodes.addObject()
                    .put("id", n.id())
                    .put("endpoint", n.endpoint())
                    .put("leaseUntil", n.leaseUntil().toString()));
        } catch (RuntimeException e) {
            state.put("nodesError", "the registry could not be read: " + e.getMessage());
        }
        var events = state.putArray("recent");
        metrics.recent().forEach(e -> events.addObject()
                .put("at", e.at())
                .put("kind", e.kind())
                .put("detail", e.detail()));
        var sample = json.createObjectNode()
                .put("at", System.currentTimeMillis())
                .put("connections", metrics.connections())
                .put("framesIn", metrics.framesIn())
                .put("framesOut", metrics.framesOut())
                .put("slowConsumerCloses", metrics.slowConsumerCloses());
        var series = state.putArray("samples");
        synchronized (samples) {
            samples.addLast(sample);
            while (samples.size() > KEPT_SAMPLES) {
                samples.removeFirst();
            }
            samples.forEach(series::add);
        }
        state.put("canNotify", notificationsQueueUrl.isPresent());
        return state.toString();
    }

    /**
     * The topics here with their subscribers on every node: one registry Query per topic, so read at most every
     * {@link #TOPICS_REFRESH} however many consoles poll.
     */
    private com.fasterxml.jackson.databind.node.ArrayNode topics() {
        var cached = topics;
        if (cached != null && System.nanoTime() - cached.readAt() < TOPICS_REFRESH.toNanos()) {
            return cached.topics();
        }
        var read = json.createArrayNode();
        hub.topics().stream().sorted().limit(SHOWN).forEach(topic -> {
            var item = read.addObject()
                    .put("topic", topic)
                    .put("here", hub.subscribersOf(topic).size());
            var nodes = item.putArray("nodes");
            try {
                registry.topics()
                        .nodesOf(topic)
                        .forEach(n -> nodes.addObject().put("node", n.nodeId()).put("subscribers", n.subscribers()));
            } catch (RuntimeException e) {
                item.put("error", "the registry could not be read: " + e.getMessage());
            }
        });
        topics = new Topics(System.nanoTime(), read);
        return read;
    }

    /** The form's notification request, checked as a JSON object, sent to the notifications queue. */
    private void notify(ServerRequest request, ServerResponse response) {
        if (notificationsQueueUrl.isEmpty()) {
            response.status(Status.CONFLICT_409)
                    .send("no notifications queue configured here (NOTIFICATIONS_QUEUE_URL)");
            return;
        }
        var body = request.content().as(String.class);
        JsonNode parsed;
        try {
            parsed = json.readTree(body);
        } catch (IOException e) {
            response.status(Status.BAD_REQUEST_400).send("not JSON: " + e.getMessage());
            return;
        }
        if (parsed == null || !parsed.isObject() || !parsed.has("data")) {
            response.status(Status.BAD_REQUEST_400)
                    .send("a notification request is an object with data and users, topics or everyone");
            return;
        }
        try {
            var sent =
                    sqs.sendMessage(b -> b.queueUrl(notificationsQueueUrl.get()).messageBody(parsed.toString()));
            response.send(
                    json.createObjectNode().put("messageId", sent.messageId()).toString());
        } catch (SdkException e) {
            response.status(Status.BAD_GATEWAY_502).send("the notifications queue refused it: " + e.getMessage());
        }
    }

    private static String resource(String name) {
        try (var in = Console.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
