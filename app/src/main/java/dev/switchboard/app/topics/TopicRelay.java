package dev.switchboard.app.topics;

import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.management.GatewayMetrics;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.TopicNode;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Relays topic publishes across nodes. The hub knows this node's subscribers; the registry knows which other nodes
 * hold subscribers of a topic and how many ({@code nodesOf}), which each node rewrites only when its own count for
 * the topic changes. That answer is cached per topic for {@code cacheTtl}, so a busy topic costs one DynamoDB Query
 * per node per {@code cacheTtl}, not one per publish; a node that gains its first subscriber is reached at the
 * latest {@code cacheTtl} later (the consistency window, docs/architecture.md). Thread-safe.
 */
public final class TopicRelay {
    /** The Management API extension between our own nodes: one publish, for every subscriber of that node. */
    public static final String PATH = "/@topics/";

    private static final System.Logger LOG = System.getLogger(TopicRelay.class.getName());

    private record Cached(long expiresAt, List<TopicNode> nodes) {}

    private final ConnectionRegistry registry;
    private final LocalConnections hub;
    private final GatewayMetrics metrics;
    private final String nodeId;
    private final String endpoint;
    private final Duration cacheTtl;
    private final HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public TopicRelay(
            ConnectionRegistry registry,
            LocalConnections hub,
            GatewayMetrics metrics,
            String nodeId,
            String endpoint,
            Duration cacheTtl,
            HttpClient http) {
        this.registry = registry;
        this.hub = hub;
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.endpoint = endpoint;
        this.cacheTtl = cacheTtl;
        this.http = http;
    }

    /**
     * Publishes: the subscribers here get the frame at once; every other node holding subscribers gets it through
     * one POST, sent without waiting. {@code clients} counts all subscribers everywhere.
     *
     * @param text the frame, given the total subscriber count
     */
    public void publish(String topic, IntFunction<String> text) {
        var local = hub.subscribersOf(topic);
        var remote = remoteNodes(topic);
        var clients =
                local.size() + remote.stream().mapToInt(TopicNode::subscribers).sum();
        if (clients == 0) {
            return;
        }
        var frame = text.apply(clients);
        deliver(local, frame);
        for (var node : remote) {
            var request = HttpRequest.newBuilder(
                            URI.create(node.endpoint() + PATH + URLEncoder.encode(topic, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(frame))
                    .build();
            var unused = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        if (error != null || response.statusCode() >= 300) {
                            metrics.outputFailure("node");
                            LOG.log(
                                    Level.WARNING,
                                    "topic relay to node failed nodeId={0} topic={1}: {2}",
                                    node.nodeId(),
                                    topic,
                                    error != null ? error.getMessage() : "HTTP " + response.statusCode());
                            cache.remove(topic);
                        } else {
                            metrics.frameOut("node_relay");
                        }
                    });
        }
    }

    /** A publish from another node, for the subscribers here; returns how many got it. */
    public int deliverFromNode(String topic, String frame) {
        return deliver(hub.subscribersOf(topic), frame);
    }

    /** This node's subscriber count of a topic changed: record it in the registry for the other nodes. */
    public void countChanged(String topic) {
        registry.topicSubscribers(
                topic, nodeId, endpoint, hub.subscribersOf(topic).size());
    }

    private int deliver(List<ClientConnection> subscribers, String frame) {
        var delivered = 0;
        for (var subscriber : subscribers) {
            if (subscriber.send(frame)) {
                metrics.frameOut("topic_publish");
                delivered++;
            }
        }
        return delivered;
    }

    private List<TopicNode> remoteNodes(String topic) {
        var now = System.nanoTime();
        var cached = cache.get(topic);
        if (cached == null || now - cached.expiresAt() > 0) {
            try {
                var nodes = registry.nodesOf(topic).stream()
                        .filter(n -> !n.nodeId().equals(nodeId) && n.subscribers() > 0)
                        .toList();
                cached = new Cached(now + cacheTtl.toNanos(), nodes);
                cache.put(topic, cached);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "topic nodes unknown topic={0}: {1}", topic, e.getMessage());
                return cached == null ? List.of() : cached.nodes();
            }
        }
        return cached.nodes();
    }
}
