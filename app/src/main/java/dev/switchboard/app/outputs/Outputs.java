package dev.switchboard.app.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.protocol.Json;
import dev.switchboard.registry.Announcer;
import dev.switchboard.registry.Grouped;
import dev.switchboard.registry.PresenceChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Sends to the backends, SUMU's way: the body is the client's {@code message} (a string as is, anything else as
 * JSON) and the attributes are {@code user_id}, {@code connection_id}, {@code timestamp} (epoch ms), {@code source}
 * and {@code kind}. Presence events {@code {"type":"presence","message":{…}}} go to the messages topic, the queue, or
 * nowhere. {@code kind} tells a backend which is which: {@link #PRESENCE} only on the gateway's presence events,
 * {@link #CLIENT} on everything a client sent — a client sets the body only, never an attribute, so a body that looks
 * like a presence event still arrives as {@code kind=client}. Thread-safe; the calls block (each connection runs on
 * its own virtual thread).
 */
public final class Outputs {
    /** Where presence events go ({@code PRESENCE_TARGET}). */
    public enum PresenceTarget {
        TOPIC,
        QUEUE,
        NONE
    }

    /** The {@code kind} attribute of a presence event, which no client message carries. */
    public static final String PRESENCE = "presence";

    /** The {@code kind} attribute of a client's {@code send} or {@code publish}. */
    public static final String CLIENT = "client";

    private final SqsClient sqs;
    private final SnsClient sns;
    private final Optional<String> queueUrl;
    private final Optional<String> topicArn;
    private final PresenceTarget presenceTarget;
    private final String source;
    private final ObjectMapper json;
    private final Clock clock;
    /**
     * Presence events of concurrent connects and disconnects, up to 10 to a call (SNS PublishBatch, SQS
     * SendMessageBatch); one user's events never share a call, so each user's go out in version order.
     */
    private final Grouped<PresenceChange> presenceCalls;

    /** Entries of one PublishBatch or SendMessageBatch (both take at most 10). */
    static final int PRESENCE_BATCH = 10;

    private static final int PRESENCE_CALLS_IN_FLIGHT = 4;

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
        this.presenceCalls =
                new Grouped<>(PRESENCE_BATCH, PRESENCE_CALLS_IN_FLIGHT, PresenceChange::userId, this::sendPresence);
    }

    /** SendMessage to the messages queue; {@link OutputException} when it cannot. */
    public void send(String userId, String connectionId, JsonNode message) {
        send(userId, connectionId, message, CLIENT);
    }

    /** Publish a client's message to the messages topic; {@link OutputException} when it cannot. */
    public void publish(String userId, String connectionId, JsonNode message) {
        publish(userId, connectionId, message, CLIENT);
    }

    private void send(String userId, String connectionId, JsonNode message, String kind) {
        var url = queueUrl.orElseThrow(
                () -> new OutputException.NotConfigured("no messages queue configured (MESSAGES_QUEUE_URL)"));
        try {
            sqs.sendMessage(b -> b.queueUrl(url)
                    .messageBody(body(message))
                    .messageAttributes(sqsAttributes(userId, connectionId, kind)));
        } catch (SdkException e) {
            throw new OutputException.Refused("the messages queue refused the message: " + e.getMessage(), e);
        }
    }

    private void publish(String userId, String connectionId, JsonNode message, String kind) {
        var arn = topicArn.orElseThrow(
                () -> new OutputException.NotConfigured("no messages topic configured (MESSAGES_TOPIC_ARN)"));
        try {
            sns.publish(b -> b.topicArn(arn)
                    .message(body(message))
                    .messageAttributes(snsAttributes(userId, connectionId, kind)));
        } catch (SdkException e) {
            throw new OutputException.Refused("the messages topic refused the message: " + e.getMessage(), e);
        }
    }

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
                presenceCalls.send(List.of(change));
            } catch (RuntimeException e) {
                throw new OutputException.Refused(
                        "presence " + change.status() + " of user " + change.userId() + " not published: "
                                + e.getMessage(),
                        e);
            }
        };
    }

    /** One batch call of presence events; answers those not sent, by position (each entry's id is its position). */
    private Map<Integer, RuntimeException> sendPresence(List<PresenceChange> changes) {
        if (presenceTarget == PresenceTarget.TOPIC) {
            var arn = topicArn.orElseThrow(
                    () -> new OutputException.NotConfigured("no messages topic configured (MESSAGES_TOPIC_ARN)"));
            var entries = new ArrayList<PublishBatchRequestEntry>();
            for (var i = 0; i < changes.size(); i++) {
                var change = changes.get(i);
                entries.add(PublishBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .message(body(presenceEvent(change)))
                        .messageAttributes(snsAttributes(change.userId(), "", PRESENCE))
                        .build());
            }
            return refused(
                    "the messages topic",
                    () -> sns.publishBatch(b -> b.topicArn(arn).publishBatchRequestEntries(entries)).failed().stream()
                            .map(e -> new Refusal(e.id(), e.code(), e.message()))
                            .toList());
        }
        var url = queueUrl.orElseThrow(
                () -> new OutputException.NotConfigured("no messages queue configured (MESSAGES_QUEUE_URL)"));
        var entries = new ArrayList<SendMessageBatchRequestEntry>();
        for (var i = 0; i < changes.size(); i++) {
            var change = changes.get(i);
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(body(presenceEvent(change)))
                    .messageAttributes(sqsAttributes(change.userId(), "", PRESENCE))
                    .build());
        }
        return refused(
                "the messages queue",
                () -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).failed().stream()
                        .map(e -> new Refusal(e.id(), e.code(), e.message()))
                        .toList());
    }

    /** One entry a batch call refused (SNS's and SQS's answers alike). */
    private record Refusal(String id, String code, String message) {}

    /** Makes the batch call; its refused entries by position, or the whole call's failure thrown. */
    private static Map<Integer, RuntimeException> refused(String target, Supplier<List<Refusal>> call) {
        try {
            var refused = new HashMap<Integer, RuntimeException>();
            for (var refusal : call.get()) {
                refused.put(
                        Integer.parseInt(refusal.id()),
                        new OutputException.Refused(
                                target + " refused it: " + refusal.code() + " " + refusal.message(), null));
            }
            return refused;
        } catch (SdkException e) {
            throw new OutputException.Refused(target + " refused the batch: " + e.getMessage(), e);
        }
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
        return message.isTextual() ? message.asText() : Json.text(message);
    }

    /** SUMU's attributes, built by {@code attribute(dataType, value)} for either SDK's attribute type. */
    private <T> Map<String, T> attributes(
            String userId, String connectionId, String kind, BiFunction<String, String, T> attribute) {
        var attributes = new java.util.LinkedHashMap<String, T>();
        attributes.put("user_id", attribute.apply("String", userId));
        // A sweep's OFFLINE has no single connection to name; SQS and SNS refuse empty attribute values.
        if (!connectionId.isEmpty()) {
            attributes.put("connection_id", attribute.apply("String", connectionId));
        }
        attributes.put("timestamp", attribute.apply("Number", Long.toString(clock.millis())));
        attributes.put("source", attribute.apply("String", source));
        attributes.put("kind", attribute.apply("String", kind));
        return attributes;
    }

    private Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> sqsAttributes(
            String userId, String connectionId, String kind) {
        return attributes(
                userId,
                connectionId,
                kind,
                (type, value) -> software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                        .dataType(type)
                        .stringValue(value)
                        .build());
    }

    private Map<String, software.amazon.awssdk.services.sns.model.MessageAttributeValue> snsAttributes(
            String userId, String connectionId, String kind) {
        return attributes(
                userId,
                connectionId,
                kind,
                (type, value) -> software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder()
                        .dataType(type)
                        .stringValue(value)
                        .build());
    }
}
