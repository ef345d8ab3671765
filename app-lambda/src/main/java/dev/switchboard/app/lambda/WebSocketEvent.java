package dev.switchboard.app.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an API Gateway WebSocket proxy event the gateway reads: {@code requestContext.eventType} (CONNECT,
 * DISCONNECT, MESSAGE), {@code connectionId}, {@code domainName}, {@code stage}, {@code connectedAt}, the
 * authorizer's context ({@code user_id}, and {@code claims} as one JSON text: see the authorizer Lambda), and the
 * frame in {@code body} ({@code isBase64Encoded} for a binary one).
 */
record WebSocketEvent(
        Type type,
        String routeKey,
        String connectionId,
        String domainName,
        String stage,
        Instant connectedAt,
        Optional<String> userId,
        Optional<String> claims,
        Optional<String> body,
        boolean binary) {

    enum Type {
        CONNECT,
        DISCONNECT,
        MESSAGE
    }

    static WebSocketEvent parse(JsonNode event) {
        var context = event.path("requestContext");
        var type = text(context, "eventType")
                .map(Type::valueOf)
                .orElseThrow(() -> new IllegalArgumentException("not an API Gateway WebSocket event: no eventType"));
        var connectionId = text(context, "connectionId")
                .orElseThrow(() -> new IllegalArgumentException("a WebSocket event without a connectionId"));
        var authorizer = context.path("authorizer");
        return new WebSocketEvent(
                type,
                text(context, "routeKey").orElse(""),
                connectionId,
                text(context, "domainName").orElse(""),
                text(context, "stage").orElse(""),
                context.path("connectedAt").canConvertToLong()
                        ? Instant.ofEpochMilli(context.path("connectedAt").asLong())
                        : Instant.now(),
                text(authorizer, "user_id").or(() -> text(authorizer, "principalId")),
                text(authorizer, "claims"),
                text(event, "body"),
                event.path("isBase64Encoded").asBoolean(false));
    }

    /** The token's claims the authorizer passed on, with their JSON types; empty when none. */
    Map<String, Object> claimsOf(ObjectMapper json) {
        if (claims.isEmpty()) {
            return Map.of();
        }
        try {
            var parsed = json.readValue(claims.get(), LinkedHashMap.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = parsed;
            return typed;
        } catch (IOException e) {
            throw new UncheckedIOException("the authorizer context's claims are not a JSON object", e);
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        var value = node.path(field);
        return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
    }
}
