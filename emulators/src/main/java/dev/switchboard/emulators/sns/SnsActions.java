package dev.switchboard.emulators.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SNS actions this emulator serves, each answering as AWS does: CreateTopic, DeleteTopic, ListTopics,
 * GetTopicAttributes, Subscribe (protocol sqs), Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic,
 * Get/SetSubscriptionAttributes (RawMessageDelivery), Publish and PublishBatch with message attributes.
 */
final class SnsActions {
    static final int MAX_MESSAGE_BYTES = 262_144;
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final String RAW_MESSAGE_DELIVERY = "RawMessageDelivery";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsTopics topics;
    private final SqsDelivery delivery;
    private final String accountId;

    SnsActions(SnsTopics topics, SqsDelivery delivery, String accountId) {
        this.topics = topics;
        this.delivery = delivery;
        this.accountId = accountId;
    }

    /** Answers one request with its XML document; throws {@link SnsException} for AWS's error answers. */
    String handle(SnsRequest request) {
        var action = request.action();
        return switch (action) {
            case "CreateTopic" ->
                SnsXml.result(action, xml -> xml.text("TopicArn", topics.create(request.required("Name"))));
            case "DeleteTopic" -> {
                topics.delete(request.required("TopicArn"));
                yield SnsXml.result(action, xml -> {});
            }
            case "ListTopics" ->
                SnsXml.result(action, xml -> {
                    xml.open("Topics");
                    topics.topicArns()
                            .forEach(arn ->
                                    xml.open("member").text("TopicArn", arn).close());
                    xml.close();
                });
            case "GetTopicAttributes" -> getTopicAttributes(request);
            case "Subscribe" -> subscribe(request);
            case "Unsubscribe" -> {
                topics.unsubscribe(request.required("SubscriptionArn"));
                yield SnsXml.result(action, xml -> {});
            }
            case "ListSubscriptions" -> listSubscriptions(action, topics.subscriptions());
            case "ListSubscriptionsByTopic" ->
                listSubscriptions(action, topics.subscriptionsOf(topics.existing(request.required("TopicArn"))));
            case "GetSubscriptionAttributes" -> getSubscriptionAttributes(request);
            case "SetSubscriptionAttributes" -> setSubscriptionAttributes(request);
            case "Publish" -> publish(request);
            case "PublishBatch" -> publishBatch(request);
            default ->
                throw new SnsException(
                        "InvalidAction", 400, "The action " + action + " is not valid for this endpoint.");
        };
    }

    private String getTopicAttributes(SnsRequest request) {
        var arn = topics.existing(request.required("TopicArn"));
        var attributes = new LinkedHashMap<String, String>();
        attributes.put("TopicArn", arn);
        attributes.put("Owner", accountId);
        attributes.put("DisplayName", "");
        attributes.put(
                "SubscriptionsConfirmed",
                Integer.toString(topics.subscriptionsOf(arn).size()));
        attributes.put("SubscriptionsPending", "0");
        attributes.put("SubscriptionsDeleted", "0");
        return SnsXml.result("GetTopicAttributes", xml -> xml.entries("Attributes", attributes));
    }

    private String subscribe(SnsRequest request) {
        var topicArn = request.required("TopicArn");
        var protocol = request.required("Protocol");
        if (!"sqs".equals(protocol)) {
            throw SnsException.invalidParameter(
                    "Invalid parameter: Protocol Reason: only sqs subscriptions are supported by this emulator");
        }
        var endpoint = request.required("Endpoint");
        if (!endpoint.startsWith("arn:aws:sqs:")) {
            throw SnsException.invalidParameter("Invalid parameter: SQS endpoint ARN");
        }
        var raw = false;
        for (var attribute : request.entries("Attributes", "key", "value").entrySet()) {
            raw = rawMessageDelivery(attribute.getKey(), attribute.getValue());
        }
        var subscription = topics.subscribe(topicArn, protocol, endpoint, raw);
        return SnsXml.result("Subscribe", xml -> xml.text("SubscriptionArn", subscription.arn()));
    }

    private String listSubscriptions(String action, List<Subscription> subscriptions) {
        return SnsXml.result(action, xml -> {
            xml.open("Subscriptions");
            subscriptions.forEach(s -> xml.open("member")
                    .text("SubscriptionArn", s.arn())
                    .text("Owner", accountId)
                    .text("Protocol", s.protocol())
                    .text("Endpoint", s.endpoint())
                    .text("TopicArn", s.topicArn())
                    .close());
            xml.close();
        });
    }

    private String getSubscriptionAttributes(SnsRequest request) {
        var subscription = topics.subscription(request.required("SubscriptionArn"));
        var attributes = new LinkedHashMap<String, String>();
        attributes.put("SubscriptionArn", subscription.arn());
        attributes.put("TopicArn", subscription.topicArn());
        attributes.put("Protocol", subscription.protocol());
        attributes.put("Endpoint", subscription.endpoint());
        attributes.put("Owner", accountId);
        attributes.put(RAW_MESSAGE_DELIVERY, Boolean.toString(subscription.rawMessageDelivery()));
        attributes.put("PendingConfirmation", "false");
        attributes.put("ConfirmationWasAuthenticated", "true");
        return SnsXml.result("GetSubscriptionAttributes", xml -> xml.entries("Attributes", attributes));
    }

    private String setSubscriptionAttributes(SnsRequest request) {
        var subscription = topics.subscription(request.required("SubscriptionArn"));
        var raw = rawMessageDelivery(
                request.required("AttributeName"),
                request.optional("AttributeValue").orElse(""));
        topics.update(subscription.withRawMessageDelivery(raw));
        return SnsXml.result("SetSubscriptionAttributes", xml -> {});
    }

    private static boolean rawMessageDelivery(String name, String value) {
        if (!RAW_MESSAGE_DELIVERY.equals(name)) {
            throw SnsException.invalidParameter(
                    "Invalid parameter: AttributeName Reason: " + name + " is not supported by this emulator");
        }
        if (!"true".equalsIgnoreCase(value) && !"false".equalsIgnoreCase(value)) {
            throw SnsException.invalidParameter(
                    "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [" + value
                            + "]. Must be true or false.");
        }
        return Boolean.parseBoolean(value);
    }

    private String publish(SnsRequest request) {
        var topicArn = topics.existing(request.optional("TopicArn")
                .or(() -> request.optional("TargetArn"))
                .orElseThrow(() -> SnsException.invalidParameter(
                        "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")));
        var messageId = publish(topicArn, request);
        return SnsXml.result("Publish", xml -> xml.text("MessageId", messageId));
    }

    private String publishBatch(SnsRequest request) {
        var topicArn = topics.existing(request.required("TopicArn"));
        var entries = request.members("PublishBatchRequestEntries");
        if (entries.isEmpty()) {
            throw new SnsException("EmptyBatchRequest", 400, "The batch request doesn't contain any entries.");
        }
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw new SnsException(
                    "TooManyEntriesInBatchRequest", 400, "The batch request contains more entries than permissible.");
        }
        var ids = new HashSet<String>();
        for (var entry : entries) {
            if (!ids.add(entry.required("Id"))) {
                throw new SnsException(
                        "BatchEntryIdsNotDistinct", 400, "Two or more batch entries in the request have the same Id.");
            }
        }
        var succeeded = new LinkedHashMap<String, String>();
        var failed = new LinkedHashMap<String, SnsException>();
        for (var entry : entries) {
            try {
                succeeded.put(entry.required("Id"), publish(topicArn, entry));
            } catch (SnsException e) {
                failed.put(entry.required("Id"), e);
            }
        }
        return SnsXml.result("PublishBatch", xml -> {
            xml.open("Successful");
            succeeded.forEach((id, messageId) -> xml.open("member")
                    .text("Id", id)
                    .text("MessageId", messageId)
                    .close());
            xml.close();
            xml.open("Failed");
            failed.forEach((id, e) -> xml.open("member")
                    .text("Id", id)
                    .text("Code", e.code())
                    .text("Message", e.getMessage())
                    .text("SenderFault", Boolean.toString(e.status() < 500))
                    .close());
            xml.close();
        });
    }

    /** Publishes one message (a Publish request, or one PublishBatch entry) to every subscription. */
    private String publish(String topicArn, SnsRequest request) {
        var message = request.optional("Message")
                .filter(m -> !m.isEmpty())
                .orElseThrow(() -> SnsException.invalidParameter("Invalid parameter: Empty message"));
        if (request.optional("MessageStructure").filter("json"::equals).isPresent()) {
            message = sqsMessageOf(message);
        }
        var attributes = request.messageAttributes();
        if (sizeOf(message, attributes) > MAX_MESSAGE_BYTES) {
            throw SnsException.invalidParameter("Invalid parameter: Message too long");
        }
        var notification = new Notification(
                UUID.randomUUID().toString(),
                topicArn,
                request.optional("Subject"),
                message,
                attributes,
                Instant.now());
        topics.subscriptionsOf(topicArn).forEach(s -> delivery.deliver(s, notification));
        return notification.messageId();
    }

    /** With MessageStructure=json, the message is a JSON object of per-protocol messages with a "default". */
    private static String sqsMessageOf(String structured) {
        try {
            var node = JSON.readTree(structured);
            var chosen = Optional.ofNullable(node.get("sqs")).or(() -> Optional.ofNullable(node.get("default")));
            return chosen.filter(n -> n.isTextual())
                    .orElseThrow(() -> SnsException.invalidParameter(
                            "Invalid parameter: Message Structure - No default entry in JSON message body"))
                    .asText();
        } catch (JsonProcessingException e) {
            throw SnsException.invalidParameter(
                    "Invalid parameter: Message Structure - JSON message body failed to parse");
        }
    }

    private static int sizeOf(String message, Map<String, MessageAttribute> attributes) {
        var size = message.getBytes(StandardCharsets.UTF_8).length;
        for (var attribute : attributes.entrySet()) {
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length
                    + attribute.getValue().dataType().length()
                    + attribute.getValue().value().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }
}
