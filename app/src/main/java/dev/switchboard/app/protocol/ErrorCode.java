package dev.switchboard.app.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every error a client can be sent, as {@code {"type":"error","code":"<wire name>","message":"…"}}. After each the
 * connection stays open; only abuse closes it (see {@link CloseCode}).
 */
public enum ErrorCode {
    /** The frame is not a JSON object. */
    INVALID_JSON,
    /** Neither an {@code action} nor a {@code type} field. */
    MISSING_VERB,
    /** An {@code action} the SUMU dialect does not have. */
    UNKNOWN_ACTION,
    /** A {@code type} the y-webrtc dialect does not have. */
    UNKNOWN_TYPE,
    /** A field of the wrong type, or a required field missing. */
    INVALID_FIELD,
    /** Larger than the frame limit (128 KiB by default). */
    FRAME_TOO_LARGE,
    /** Binary frames are not part of either dialect. */
    BINARY_NOT_SUPPORTED,
    /** A subscription beyond the per-connection topic limit. */
    TOO_MANY_TOPICS,
    /** A topic name longer than the limit. */
    TOPIC_TOO_LONG,
    /**
     * More frames than the per-connection rate allows, or more publishes to a topic than its rule's {@code
     * publishRate} (then with the {@code topic}); the frame was dropped.
     */
    RATE_LIMITED,
    /** The topic rules do not allow this subscribe or publish to the {@code topic} named in the error. */
    FORBIDDEN,
    /** A {@code refresh} whose token was refused, or is another user's; the connection goes on with its own. */
    INVALID_TOKEN,
    /** The output (SQS queue, SNS topic) refused the message; it was not sent. */
    OUTPUT_FAILED,
    /** This gateway has no output configured for that action. */
    OUTPUT_NOT_CONFIGURED,
    /**
     * A frame this deployment does not take: behind a real API Gateway (the serverless deployment), topic presence,
     * history, recovery and {@code refresh} are not available.
     */
    NOT_SUPPORTED,
    /** A failure of ours; the frame was not handled. */
    INTERNAL;

    /** The error frame: {@code {"type":"error","code","topic","message"}}, {@code topic} only when not null. */
    public ObjectNode frame(JsonNodeFactory json, String topic, String message) {
        var frame = json.objectNode().put("type", "error").put("code", wireName());
        if (topic != null) {
            frame.put("topic", topic);
        }
        return frame.put("message", message);
    }

    /** The name on the wire: lower-case, with underscores ({@code invalid_json}). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
