package dev.switchboard.app.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.registry.Announcer;
import dev.switchboard.registry.PresenceChange;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends to the backends, SUMU's way: the body is the client's {@code message} (a string as is, anything else as
 * JSON) and the attributes are {@code user_id}, {@code connection_id}, {@code timestamp} (epoch ms) and
 * {@code source}. Presence events {@code {"type":"presence","message":{…}}} go to the messages topic, the queue, or
 * nowhere. Thread-safe; the calls block (each connection runs on its own virtual thread).
 */
public final class Outputs {
    /** Where presence events go ({@code PRESENCE_TARGET}). */
    public enum PresenceTarget {
        TOPIC,
        QUEUE,
        NONE
    }

    private static final System.Logger LOG = System.getLogger(Outputs.class.getName());

    private final SqsClient sqs;
    private final SnsClient sns;
    private final Optional<String> queueUrl;
    private final Optional<String> topicArn;
    private final PresenceTarget presenceTarget;
    private final String source;
    private final ObjectMapper json;
    private final Clock clock;

    public Outputs(
            SqsClient sqs,
            SnsClient sns,
            Optional<String> queueUrl,
            Optional<String> topicArn,
            PresenceTarget presenceTarget,
            String source,
            ObjectMapper json,
            Clock clock) {
        this.sqs = sqs;
        this.sns = sns;
        this.queueUrl = queueUrl;
        this.topicArn = topicArn;
        this.presenceTarget = presenceTarget;
        this.source = source;
        this.json = json;
        this.clock = clock;
    }

    /** SendMessage to the messages queue. */
    public void send(String userId, String connectionId, JsonNode message) throws OutputException {
        var url = queueUrl.orElseThrow(
                () -> new OutputException("no messages queue configured (MESSAGES_QUEUE_URL)", false, null));
        try {
            sqs.sendMessage(b ->
                    b.queueUrl(url).messageBody(body(message)).messageAttributes(sqsAttributes(userId, connectionId)));
        } catch (SdkException e) {
            throw new OutputException("the messages queue refused the message: " + e.getMessage(), true, e);
        }
    }

    /** Publish to the messages topic. */
    public void publish(String userId, String connectionId, JsonNode message) throws OutputException {
        var arn = topicArn.orElseThrow(
                () -> new OutputException("no messages topic configured (MESSAGES_TOPIC_ARN)", false, null));
        try {
            sns.publish(
                    b -> b.topicArn(arn).message(body(message)).messageAttributes(snsAttributes(userId, connectionId)));
        } catch (SdkException e) {
            throw new OutputException("the messages topic refused the message: " + e.getMessage(), true, e);
        }
    }

    /** Sends a presence change to the configured target; a failure is logged (there is no client to tell). */
    /**
     * The presence announcer the registry calls: publishes each change to {@code PRESENCE_TARGET} and throws when it
     * could not, so that the change stays owed and is offered again. With {@code none} it publishes nothing.
     */
    public Announcer announcer() {
        if (presenceTarget == PresenceTarget.NONE) {
            return Announcer.NONE;
        }
        return change -> {
            try {
                var event = presenceEvent(change);
                if (presenceTarget == PresenceTarget.TOPIC) {
                    publish(change.userId(), "", event);
                } else {
                    send(change.userId(), "", event);
                }
            } catch (OutputException e) {
                throw new IllegalStateException(
                        "presence " + change.status() + " of user " + change.userId() + " not published: "
                                + e.getMessage(),
                        e);
            }
        };
    }

    private ObjectNode presenceEvent(PresenceChange change) {
        var event = json.createObjectNode().put("type", "presence");
        event.putObject("message")
                .put("user_id", change.userId())
                .put("status", change.status().name())
                .put("version", change.version())
                .put("timestamp", clock.millis());
        return event;
    }

    private String body(JsonNode message) {
        return message.isTextual() ? message.asText() : message.toString();
    }

    /** SUMU's attributes, built by {@code attribute(dataType, value)} for either SDK's attribute type. */
    private <T> Map<String, T> attributes(String userId, String connectionId, BiFunction<String, String, T> attribute) {
        var attributes = new java.util.LinkedHashMap<String, T>();
        attributes.put("user_id", attribute.apply("String", userId));
        // A sweep's OFFLINE has no single connection to name; SQS and SNS refuse empty attribute values.
        if (!connectionId.isEmpty()) {
            attributes.put("connection_id", attribute.apply("String", connectionId));
        }
        attributes.put("timestamp", attribute.apply("Number", Long.toString(clock.millis())));
        attributes.put("source", attribute.apply("String", source));
        return attributes;
    }

    private Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> sqsAttributes(
            String userId, String connectionId) {
        return attributes(
                userId,
                connectionId,
                (type, value) -> software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                        .dataType(type)
                        .stringValue(value)
                        .build());
    }

    private Map<String, software.amazon.awssdk.services.sns.model.MessageAttributeValue> snsAttributes(
            String userId, String connectionId) {
        return attributes(
                userId,
                connectionId,
                (type, value) -> software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder()
                        .dataType(type)
                        .stringValue(value)
                        .build());
    }
}
