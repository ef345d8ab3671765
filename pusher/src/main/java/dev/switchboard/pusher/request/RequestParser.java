package dev.switchboard.pusher.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Reads a queue message's body as a notification request: the request itself, or an SNS envelope (the
 * notifications topic delivering without raw delivery) whose {@code Message} is the request. Never throws: a body
 * that is not a request is {@link Refused} with the reason.
 */
public final class RequestParser {
    /** What a body turned out to be. */
    public sealed interface Parsed permits Accepted, Refused {}

    public record Accepted(NotificationRequest request) implements Parsed {}

    public record Refused(String reason) implements Parsed {}

    private final ObjectMapper json;
    private final int maxDataBytes;

    public RequestParser(ObjectMapper json, int maxDataBytes) {
        this.json = json;
        this.maxDataBytes = maxDataBytes;
    }

    public Parsed parse(String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            return new Refused("not JSON: " + e.getOriginalMessage());
        }
        if (node != null && isSnsEnvelope(node)) {
            try {
                node = json.readTree(node.get("Message").asText());
            } catch (JsonProcessingException e) {
                return new Refused("the SNS envelope's Message is not JSON: " + e.getOriginalMessage());
            }
        }
        if (node == null || !node.isObject()) {
            return new Refused("not a JSON object");
        }
        if (!node.has("data")) {
            return new Refused("no data");
        }
        var fields = new ArrayList<List<String>>();
        for (var name : List.of("users", "topics", "exclude_users")) {
            switch (strings(node, name)) {
                case Field.Invalid(var reason) -> {
                    return new Refused(reason);
                }
                case Field.Values(var values) -> fields.add(values);
            }
        }
        String data;
        try {
            data = json.writeValueAsString(node.get("data"));
        } catch (JsonProcessingException e) {
            return new Refused("data cannot be serialized: " + e.getOriginalMessage());
        }
        var size = data.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxDataBytes) {
            return new Refused("data is " + size + " bytes; a client frame takes at most " + maxDataBytes);
        }
        return new Accepted(new NotificationRequest(fields.get(0), fields.get(1), new HashSet<>(fields.get(2)), data));
    }

    private static boolean isSnsEnvelope(JsonNode node) {
        return node.isObject()
                && "Notification".equals(node.path("Type").asText())
                && node.path("Message").isTextual()
                && node.has("TopicArn");
    }

    private sealed interface Field permits Field.Values, Field.Invalid {
        record Values(List<String> values) implements Field {}

        record Invalid(String reason) implements Field {}
    }

    private static Field strings(JsonNode request, String name) {
        var node = request.get(name);
        if (node == null || node.isNull()) {
            return new Field.Values(List.of());
        }
        if (!node.isArray()) {
            return new Field.Invalid(name + " is not an array of strings");
        }
        var values = new ArrayList<String>();
        for (var element : node) {
            if (!element.isTextual() || element.asText().isEmpty()) {
                return new Field.Invalid(name + " holds something other than non-empty strings: " + element);
            }
            values.add(element.asText());
        }
        return new Field.Values(values.stream().distinct().toList());
    }
}
