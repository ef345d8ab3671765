package dev.switchboard.app.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.protocol.MalformedBodyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One notification request as a node delivers it: whom (the users, the subscribers of the topics, or everyone,
 * less {@code excludeUsers}) and the frame's text. {@code id} names the request across redeliveries (the SQS
 * message id): a node delivers one id once.
 */
public record NodeRequest(
        String id, List<String> users, List<String> topics, boolean everyone, Set<String> excludeUsers, String data) {
    public NodeRequest {
        users = List.copyOf(users);
        topics = List.copyOf(topics);
        excludeUsers = Set.copyOf(excludeUsers);
    }

    /**
     * Reads one request of a {@code POST /@deliveries} body.
     *
     * @throws MalformedBodyException naming what is wrong
     */
    static NodeRequest of(JsonNode request) {
        if (!request.isObject()) {
            throw new MalformedBodyException("each request is an object");
        }
        var id = request.path("id");
        var data = request.path("data");
        if (!id.isTextual() || id.asText().isEmpty()) {
            throw new MalformedBodyException("a request needs an \"id\": a non-empty string");
        }
        if (!data.isTextual()) {
            throw new MalformedBodyException("request " + id.asText() + ": \"data\" is the frame's text, a string");
        }
        var everyone = request.path("everyone");
        if (!everyone.isMissingNode() && !everyone.isBoolean()) {
            throw new MalformedBodyException("request " + id.asText() + ": \"everyone\" is true or false");
        }
        return new NodeRequest(
                id.asText(),
                strings(request, "users"),
                strings(request, "topics"),
                everyone.asBoolean(false),
                Set.copyOf(strings(request, "exclude_users")),
                data.asText());
    }

    private static List<String> strings(JsonNode request, String field) {
        var node = request.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedBodyException(
                    "request " + request.path("id").asText() + ": \"" + field + "\" is an array of strings");
        }
        var values = new ArrayList<String>(node.size());
        for (var value : node) {
            if (!value.isTextual()) {
                throw new MalformedBodyException(
                        "request " + request.path("id").asText() + ": \"" + field + "\" is an array of strings");
            }
            values.add(value.asText());
        }
        return values;
    }
}
