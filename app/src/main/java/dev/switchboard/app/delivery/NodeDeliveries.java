package dev.switchboard.app.delivery;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.hub.OutFrame;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.metrics.GatewayMetrics.FrameKind;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.app.protocol.Json;
import dev.switchboard.app.protocol.MalformedBodyException;
import dev.switchboard.registry.History;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Delivers notification requests to this node's connections: each request's selector resolved from the hub (a
 * user's connections, a topic's subscribers, everyone; users left out), its frame built once and queued on each
 * connection's outbound — never waiting on a socket, so a slow client costs only itself (its queue full: it is
 * closed with 1013 and counted as {@code closed}). A connection matched twice (a user and a topic) gets one frame.
 * A request id delivered within the last {@link #DEDUPE_WINDOW} is not delivered again.
 */
public final class NodeDeliveries {
    /** The route on the internal port. */
    public static final String PATH = "/@deliveries";

    /** How long, and for how many ids at most, a node remembers the requests it delivered. */
    static final Duration DEDUPE_WINDOW = Duration.ofMinutes(10);

    static final int DEDUPE_CAPACITY = 200_000;

    /**
     * What one request did here: frames queued, connections closed because their queue was full, whether it was a
     * repeat (delivered before: nothing done), or why it was refused.
     */
    public record Result(String id, int delivered, int closed, boolean repeat, Optional<String> error) {}

    /**
     * Stores a backend's message to a topic that keeps history, once however many nodes deliver it ({@code
     * History.appendOnce}): where, and the frame to deliver; empty for a topic without history.
     */
    public interface Kept {
        Optional<History.Stored> store(String topic, String requestId, String data);
    }

    /** No topic keeps history. */
    public static final Kept NOTHING_KEPT = (topic, requestId, data) -> Optional.empty();

    private final LocalConnections hub;
    private final Kept kept;
    private final GatewayMetrics metrics;
    private final ObjectMapper json;
    private final FrameLimit frameLimit;
    private final RecentRequests recent = new RecentRequests(DEDUPE_WINDOW, DEDUPE_CAPACITY, System::nanoTime);

    public NodeDeliveries(
            LocalConnections hub, Kept kept, GatewayMetrics metrics, ObjectMapper json, FrameLimit frameLimit) {
        this.hub = hub;
        this.kept = kept;
        this.metrics = metrics;
        this.json = json;
        this.frameLimit = frameLimit;
    }

    /**
     * Delivers every request of a {@code POST /@deliveries} body ({@code {"requests":[…]}}) and answers the results
     * as JSON ({@code {"results":[…]}}, in the requests' order).
     *
     * @throws MalformedBodyException when the body is not such a batch; nothing is delivered then
     */
    public String handle(byte[] body) {
        var requests = parse(body);
        var results = json.createArrayNode();
        for (var request : requests) {
            var result = deliver(request);
            var node = results.addObject()
                    .put("id", result.id())
                    .put("delivered", result.delivered())
                    .put("closed", result.closed())
                    .put("repeat", result.repeat());
            result.error().ifPresent(error -> node.put("error", error));
        }
        ObjectNode answer = json.createObjectNode();
        answer.set("results", results);
        return Json.text(answer);
    }

    /** Delivers one request to this node's connections. */
    public Result deliver(NodeRequest request) {
        if (frameLimit.exceeds(request.data())) {
            return new Result(request.id(), 0, 0, false, Optional.of("frame_too_large"));
        }
        // Stored first, before the id is remembered: a store that fails fails the request (the pusher tries again).
        var stored = new java.util.LinkedHashMap<String, History.Stored>();
        for (var topic : request.everyone() ? List.<String>of() : request.topics()) {
            kept.store(topic, request.id(), request.data()).ifPresent(s -> stored.put(topic, s));
        }
        if (!recent.first(request.id())) {
            metrics.frameIn(FrameKind.DELIVERY_REPEAT);
            return new Result(request.id(), 0, 0, true, Optional.empty());
        }
        metrics.frameIn(FrameKind.DELIVERY);
        var delivered = 0;
        var closed = 0;
        var served = new java.util.HashSet<ClientConnection>();
        for (var entry : stored.entrySet()) {
            var frame = OutFrame.kept(
                    entry.getValue().frame(), entry.getValue().position().offset());
            for (var connection : hub.subscribersOf(entry.getKey())) {
                if (request.excludeUsers().contains(connection.userId()) || !served.add(connection)) {
                    continue;
                }
                switch (connection.sendOnTopic(entry.getKey(), frame)) {
                    case QUEUED -> delivered++;
                    case FULL -> closed++;
                    case CLOSED -> {}
                }
            }
        }
        var frame = OutFrame.of(request.data());
        for (var connection : targets(request, stored.keySet())) {
            if (request.excludeUsers().contains(connection.userId()) || served.contains(connection)) {
                continue;
            }
            switch (connection.send(frame)) {
                case QUEUED -> delivered++;
                case FULL -> closed++;
                case CLOSED -> {}
            }
        }
        metrics.framesOut(FrameKind.NOTIFICATION, delivered);
        return new Result(request.id(), delivered, closed, false, Optional.empty());
    }

    /** Whom the request's plain frame goes to: its selector, less the topics whose stored frame went out. */
    private LinkedHashSet<ClientConnection> targets(NodeRequest request, java.util.Set<String> keptTopics) {
        var targets = new LinkedHashSet<ClientConnection>();
        if (request.everyone()) {
            targets.addAll(hub.all());
            return targets;
        }
        request.users().forEach(user -> targets.addAll(hub.connectionsOf(user)));
        request.topics().stream()
                .filter(topic -> !keptTopics.contains(topic))
                .forEach(topic -> targets.addAll(hub.subscribersOf(topic)));
        return targets;
    }

    /**
     * A backend's message as a topic with history keeps and delivers it: a JSON object gains {@code offset} and
     * {@code epoch} (spliced before its closing brace, the rest as sent); any other text is kept as it is.
     */
    public static String withPosition(String data, String epoch, long offset) {
        var text = data.strip();
        if (!text.startsWith("{") || !text.endsWith("}")) {
            return data;
        }
        var end = text.lastIndexOf('}');
        var empty = text.substring(1, end).isBlank();
        return text.substring(0, end) + (empty ? "" : ",") + "\"offset\":" + offset + ",\"epoch\":"
                + new com.fasterxml.jackson.databind.node.TextNode(epoch) + "}";
    }

    private List<NodeRequest> parse(byte[] body) {
        try {
            var root = json.readTree(body);
            var requests = root == null ? null : root.get("requests");
            if (requests == null || !requests.isArray()) {
                throw new MalformedBodyException("the body is {\"requests\":[…]}");
            }
            var parsed = new ArrayList<NodeRequest>(requests.size());
            requests.forEach(request -> parsed.add(NodeRequest.of(request)));
            return parsed;
        } catch (JacksonException e) {
            throw new MalformedBodyException("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedBodyException("the body could not be read: " + e.getMessage());
        }
    }
}
