package dev.switchboard.pusher.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.pusher.request.NotificationRequest;
import dev.switchboard.registry.ConnectionRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One notification request, fanned out per node: the request's selector goes once to every node that may hold a
 * target — the nodes with subscribers of its topics, or every node on record for users and everyone (late ones
 * included: only the registry says a node is gone) — as {@code POST /@deliveries}, and each node resolves it from
 * its hub (docs/delivery.md, "The node contract"). Complete when every node acknowledged; a node that failed or
 * timed out leaves the message to come back, and a node that already delivered its id answers it as a repeat.
 */
public final class NodeFanOut {
    private final ConnectionRegistry registry;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public NodeFanOut(ConnectionRegistry registry, HttpClient http, Duration timeout) {
        this.registry = registry;
        this.http = http;
        this.timeout = timeout;
    }

    /** Delivers the request with id {@code id} (its SQS message id) through every node that may hold a target. */
    public FanOut.Outcome fanOut(String id, NotificationRequest request) throws InterruptedException {
        var endpoints = List.copyOf(nodes(request).values());
        var body = body(id, request);
        var answers = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (var endpoint : endpoints) {
            answers.add(http.sendAsync(
                    HttpRequest.newBuilder(URI.create(endpoint + "/@deliveries"))
                            .timeout(timeout)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        var delivered = 0;
        var closed = 0;
        var failed = 0;
        Optional<String> failure = Optional.empty();
        for (var i = 0; i < answers.size(); i++) {
            try {
                var response = answers.get(i).join();
                if (response.statusCode() != 200) {
                    throw new IOException("answered " + response.statusCode() + ": " + response.body());
                }
                for (var result : json.readTree(response.body()).path("results")) {
                    delivered += result.path("delivered").asInt();
                    closed += result.path("closed").asInt();
                    var error = error(result);
                    if (error.isPresent()) { // refused by the node: it comes back, and in the end dead-letters
                        failed++;
                        failure = failure.or(() -> error);
                    }
                }
            } catch (RuntimeException | IOException e) {
                failed++;
                if (failure.isEmpty()) {
                    failure = Optional.of("node " + endpoints.get(i) + ": " + message(e));
                }
            }
        }
        return new FanOut.Outcome(delivered + closed, delivered, closed, 0, failed, failure);
    }

    /** The nodes to ask, by id: their management endpoints. */
    private Map<String, String> nodes(NotificationRequest request) {
        var nodes = new LinkedHashMap<String, String>();
        if (request.users().isEmpty() && !request.topics().isEmpty()) {
            request.topics().forEach(topic -> registry.nodesOf(topic)
                    .forEach(node -> nodes.putIfAbsent(node.nodeId(), node.endpoint())));
        } else {
            registry.nodes().forEach(node -> nodes.putIfAbsent(node.id(), node.endpoint()));
        }
        return nodes;
    }

    private String body(String id, NotificationRequest request) {
        var root = json.createObjectNode();
        var one = root.putArray("requests").addObject();
        one.put("id", id);
        request.users().forEach(one.putArray("users")::add);
        request.topics().forEach(one.putArray("topics")::add);
        one.put("everyone", request.broadcast());
        request.excludeUsers().forEach(one.putArray("exclude_users")::add);
        one.put("data", request.data());
        return root.toString();
    }

    private static Optional<String> error(JsonNode result) {
        return result.has("error") ? Optional.of(result.path("error").asText()) : Optional.empty();
    }

    private static String message(Exception e) {
        var cause = e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
