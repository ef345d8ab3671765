package dev.switchboard.app.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;

/**
 * Parses text frames of both dialects: a frame with {@code action} is SUMU's, one with {@code type} y-webrtc's.
 * Never throws: anything it cannot take is an {@link Frame.Invalid}. Thread-safe.
 */
public final class FrameParser {
    private final ObjectMapper json;
    private final int maxTopicLength;

    /** Frames reach it within the size limit ({@link FrameLimit} is checked before, where frames arrive). */
    public FrameParser(ObjectMapper json, int maxTopicLength) {
        this.json = json;
        this.maxTopicLength = maxTopicLength;
    }

    public Frame parse(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            return new Frame.Invalid(ErrorCode.INVALID_JSON, "not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode frame)) {
            return new Frame.Invalid(ErrorCode.INVALID_JSON, "a frame is a JSON object");
        }
        if (frame.has("action")) {
            return sumu(frame);
        }
        if (frame.has("type")) {
            return webrtc(frame, text);
        }
        return new Frame.Invalid(ErrorCode.MISSING_VERB, "a frame needs an \"action\" (SUMU) or a \"type\" (y-webrtc)");
    }

    private static Frame sumu(ObjectNode frame) {
        var action = frame.get("action");
        if (!action.isTextual()) {
            return new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"action\" must be a string");
        }
        return switch (action.asText()) {
            case "ping" -> new Frame.Ping();
            case "send", "publish" -> {
                var message = frame.get("message");
                if (message == null || message.isNull()) {
                    yield new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"" + action.asText() + "\" needs a \"message\"");
                }
                yield "send".equals(action.asText()) ? new Frame.Send(message) : new Frame.Publish(message);
            }
            default ->
                new Frame.Invalid(
                        ErrorCode.UNKNOWN_ACTION,
                        "unknown action \"" + action.asText() + "\"; the actions are ping, send and publish");
        };
    }

    private Frame webrtc(ObjectNode frame, String text) {
        var type = frame.get("type");
        if (!type.isTextual()) {
            return new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"type\" must be a string");
        }
        return switch (type.asText()) {
            case "subscribe", "unsubscribe" -> topics(frame, "subscribe".equals(type.asText()));
            case "publish" -> {
                var topic = frame.get("topic");
                if (topic == null || !topic.isTextual() || topic.asText().isEmpty()) {
                    yield new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"publish\" needs a \"topic\" string");
                }
                if (topic.asText().length() > maxTopicLength) {
                    yield tooLong();
                }
                yield new Frame.TopicPublish(topic.asText(), frame, text);
            }
            case "ping" -> new Frame.TopicPing();
            case "presence" -> presence(frame);
            case "history" -> history(frame);
            case "refresh" -> {
                var token = frame.get("token");
                if (token == null || !token.isTextual() || token.asText().isEmpty()) {
                    yield new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"refresh\" needs a \"token\" string");
                }
                yield new Frame.Refresh(token.asText());
            }
            default ->
                new Frame.Invalid(
                        ErrorCode.UNKNOWN_TYPE,
                        "unknown type \"" + type.asText()
                                + "\"; the types are subscribe, unsubscribe, publish, ping, presence, history and refresh");
        };
    }

    private Frame topics(ObjectNode frame, boolean subscribe) {
        var topics = frame.get("topics");
        if (topics == null || !topics.isArray()) {
            return new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"topics\" must be an array of strings");
        }
        var names = new ArrayList<String>();
        for (var topic : topics) {
            if (!topic.isTextual() || topic.asText().isEmpty()) {
                return new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"topics\" must be an array of non-empty strings");
            }
            if (topic.asText().length() > maxTopicLength) {
                return tooLong();
            }
            names.add(topic.asText());
        }
        if (!subscribe) {
            return new Frame.Unsubscribe(names);
        }
        var presence = frame.get("presence");
        if (presence != null && !presence.isBoolean()) {
            return new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"presence\" must be true or false");
        }
        var since = new java.util.LinkedHashMap<String, Frame.Since>();
        var sinceNode = frame.get("since");
        if (sinceNode != null && !sinceNode.isNull()) {
            if (!sinceNode.isObject()) {
                return new Frame.Invalid(
                        ErrorCode.INVALID_FIELD, "\"since\" must map topics to {\"offset\":…,\"epoch\":…}");
            }
            for (var entry : sinceNode.properties()) {
                var position = entry.getValue();
                var offset = position.path("offset");
                var epoch = position.path("epoch");
                if (!names.contains(entry.getKey())) {
                    return new Frame.Invalid(
                            ErrorCode.INVALID_FIELD, "\"since\" names a topic not in \"topics\": " + entry.getKey());
                }
                if (!offset.isIntegralNumber() || offset.asLong() < 0 || !epoch.isTextual()) {
                    return new Frame.Invalid(
                            ErrorCode.INVALID_FIELD,
                            "\"since\" of " + entry.getKey() + " must be {\"offset\":<whole number>,\"epoch\":<text>}");
                }
                since.put(entry.getKey(), new Frame.Since(offset.asLong(), epoch.asText()));
            }
        }
        return new Frame.Subscribe(names, presence != null && presence.booleanValue(), since);
    }

    private Frame history(ObjectNode frame) {
        var topic = frame.get("topic");
        var badTopic = badTopic(topic, "history");
        if (badTopic.isPresent()) {
            return badTopic.get();
        }
        var limit = frame.get("limit");
        if (badLimit(limit)) {
            return new Frame.Invalid(
                    ErrorCode.INVALID_FIELD, "\"limit\" must be a whole number from 1 to " + MAX_MEMBERS);
        }
        return new Frame.HistoryQuery(topic.asText(), limit == null ? DEFAULT_MEMBERS : limit.asInt());
    }

    /** Members a presence page holds at most, and when the frame does not say. */
    public static final int MAX_MEMBERS = 1000;

    public static final int DEFAULT_MEMBERS = 100;

    private Frame presence(ObjectNode frame) {
        var topic = frame.get("topic");
        var badTopic = badTopic(topic, "presence");
        if (badTopic.isPresent()) {
            return badTopic.get();
        }
        var cursor = frame.get("cursor");
        if (cursor != null && !cursor.isNull() && !cursor.isTextual()) {
            return new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"cursor\" must be the string a presence page gave");
        }
        var limit = frame.get("limit");
        if (badLimit(limit)) {
            return new Frame.Invalid(
                    ErrorCode.INVALID_FIELD, "\"limit\" must be a whole number from 1 to " + MAX_MEMBERS);
        }
        return new Frame.PresenceQuery(
                topic.asText(),
                cursor == null || cursor.isNull() ? java.util.Optional.empty() : java.util.Optional.of(cursor.asText()),
                limit == null ? DEFAULT_MEMBERS : limit.asInt());
    }

    /** What is wrong with a {@code topic} field, if anything: missing, not a non-empty string, too long. */
    private java.util.Optional<Frame.Invalid> badTopic(com.fasterxml.jackson.databind.JsonNode topic, String verb) {
        if (topic == null || !topic.isTextual() || topic.asText().isEmpty()) {
            return java.util.Optional.of(
                    new Frame.Invalid(ErrorCode.INVALID_FIELD, "\"" + verb + "\" needs a \"topic\" string"));
        }
        return topic.asText().length() > maxTopicLength ? java.util.Optional.of(tooLong()) : java.util.Optional.empty();
    }

    /** A page {@code limit} given and not a whole number from 1 to {@link #MAX_MEMBERS}. */
    private static boolean badLimit(com.fasterxml.jackson.databind.JsonNode limit) {
        return limit != null
                && (!limit.isIntegralNumber()
                        || !limit.canConvertToInt()
                        || limit.asInt() < 1
                        || limit.asInt() > MAX_MEMBERS);
    }

    private Frame.Invalid tooLong() {
        return new Frame.Invalid(
                ErrorCode.TOPIC_TOO_LONG, "topic names are limited to " + maxTopicLength + " characters");
    }
}
