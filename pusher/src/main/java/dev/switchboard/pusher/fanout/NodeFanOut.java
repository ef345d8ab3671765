package dev.switchboard.pusher.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.pusher.request.NotificationRequest;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.Nodes;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One notification request, fanned out per node: the request's selector goes once to every node that may hold a
 * target — every node on record for users and everyone (late ones included: only the registry says a node is gone),
 * and for topics the same while there are at most {@code lookUpTopicsAbove} nodes (asking a node without
 * subscribers costs it one entry of a batched post; a Query per topic costs more), else the nodes with subscribers of
 * its topics (their topic entries) — through that node's {@link NodeLink}, which carries many requests in one {@code
 * POST /@deliveries}; each node resolves the selector from its hub (docs/delivery.md, "The node contract"). Complete when every node acknowledged. A node that could not be reached is looked up again: gone
 * from the registry (swept, with its connections), it is done with; still on record, the message comes back. A
 * node that already delivered an id answers it as a repeat, so a message that comes back reaches no connection
 * twice. The registry reads are {@link SharedRead}s: concurrent requests share one Query, and the list of every node
 * is read again only once it is older than {@link Nodes#JOIN_GRACE}. Thread-safe.
 */
public final class NodeFanOut {
    /** Past this many node links, or topic readers, the idle ones are dropped (they are made again when needed). */
    private static final int KEPT = 1_000;
    /** Registry reads of one kind start at most this often; a request waits for the next at most this long. */
    private static final Duration READ_SPACING = Duration.ofMillis(10);

    private final HttpClient http;
    private final Duration timeout;
    private final int attempts;
    private final ObjectMapper json = new ObjectMapper();
    private final SharedRead<Map<String, String>> everyNode;
    private final Map<String, SharedRead<Map<String, String>>> topicNodes = new ConcurrentHashMap<>();
    private final ConnectionRegistry registry;
    private final int lookUpTopicsAbove;
    private final Map<String, NodeLink> links = new ConcurrentHashMap<>();

    /**
     * @param timeout one post to a node
     * @param attempts posts to a node before its requests come back to the queue
     * @param lookUpTopicsAbove with more nodes on record than this, a topic request reads its topics' node entries
     */
    public NodeFanOut(
            ConnectionRegistry registry, HttpClient http, Duration timeout, int attempts, int lookUpTopicsAbove) {
        this.registry = registry;
        this.lookUpTopicsAbove = lookUpTopicsAbove;
        this.http = http;
        this.timeout = timeout;
        this.attempts = attempts;
        // Reused for a node's join grace: a node takes connections only that long after its record is written.
        this.everyNode = new SharedRead<>(READ_SPACING, Nodes.JOIN_GRACE, () -> {
            var nodes = new LinkedHashMap<String, String>();
            registry.nodes().all().forEach(node -> nodes.put(node.id(), node.endpoint()));
            return nodes;
        });
    }

    /** Delivers the request with id {@code id} (its SQS message id) through every node that may hold a target. */
    public FanOut.Outcome fanOut(String id, NotificationRequest request) {
        var nodes = nodes(request);
        var requestJson = requestJson(id, request);
        var answers = new LinkedHashMap<String, CompletableFuture<NodeLink.Answer>>();
        nodes.forEach((node, endpoint) -> answers.put(node, link(endpoint).send(id, requestJson)));
        var delivered = 0;
        var closed = 0;
        var failed = 0;
        var gone = 0;
        Optional<String> failure = Optional.empty();
        Map<String, String> again = null;
        for (var answer : answers.entrySet()) {
            switch (answer.getValue().join()) {
                case NodeLink.Answer.Delivered(var d, var c) -> {
                    delivered += d;
                    closed += c;
                }
                case NodeLink.Answer.Refused(var error) -> {
                    failed++;
                    failure = failure.or(() -> Optional.of("refused by node " + answer.getKey() + ": " + error));
                }
                case NodeLink.Answer.Unreached(var reason) -> {
                    again = again == null ? nodes(request) : again;
                    if (again.containsKey(answer.getKey())) {
                        failed++;
                        failure = failure.or(() -> Optional.of("node " + answer.getKey() + " " + reason));
                    } else {
                        gone++; // no longer on record: swept, its connections with it
                    }
                }
            }
        }
        return new FanOut.Outcome(nodes.size(), delivered, closed + gone, failed, failure);
    }

    /** The nodes to ask, by id: their management endpoints. */
    private Map<String, String> nodes(NotificationRequest request) {
        var every = everyNode.get();
        if (!request.users().isEmpty() || request.topics().isEmpty() || every.size() <= lookUpTopicsAbove) {
            return every;
        }
        var nodes = new LinkedHashMap<String, String>();
        if (topicNodes.size() > KEPT) {
            topicNodes.clear(); // only a cache of readers: the next request makes its own again
        }
        for (var topic : request.topics()) {
            nodes.putAll(topicNodes.computeIfAbsent(topic, this::topicRead).get());
        }
        return nodes;
    }

    private SharedRead<Map<String, String>> topicRead(String topic) {
        return new SharedRead<>(READ_SPACING, () -> {
            var nodes = new LinkedHashMap<String, String>();
            registry.topics().nodesOf(topic).forEach(node -> nodes.put(node.nodeId(), node.endpoint()));
            return nodes;
        });
    }

    private NodeLink link(String endpoint) {
        if (links.size() > KEPT) {
            links.values().removeIf(NodeLink::idle);
        }
        return links.computeIfAbsent(endpoint, e -> new NodeLink(e, http, timeout, attempts, json));
    }

    private String requestJson(String id, NotificationRequest request) {
        var one = json.createObjectNode();
        one.put("id", id);
        request.users().forEach(one.putArray("users")::add);
        request.topics().forEach(one.putArray("topics")::add);
        one.put("everyone", request.broadcast());
        request.excludeUsers().forEach(one.putArray("exclude_users")::add);
        one.put("data", request.data());
        return one.toString();
    }
}
