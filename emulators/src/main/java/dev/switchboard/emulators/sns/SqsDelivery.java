package dev.switchboard.emulators.sns;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Delivers notifications into SQS queues (ElasticMQ) through the real SqsClient: the message itself with its
 * attributes when the subscription has RawMessageDelivery, otherwise AWS's JSON envelope. As in AWS, a failed
 * delivery does not fail the Publish: it is logged and counted.
 */
final class SqsDelivery {
    private static final System.Logger LOG = System.getLogger(SqsDelivery.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final URI snsEndpoint;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    SqsDelivery(SqsClient sqs, URI snsEndpoint) {
        this.sqs = sqs;
        this.snsEndpoint = snsEndpoint;
    }

    void deliver(Subscription subscription, Notification notification) {
        try {
            var request = subscription.rawMessageDelivery()
                    ? SendMessageRequest.builder()
                            .messageBody(notification.message())
                            .messageAttributes(sqsAttributes(notification.attributes()))
                    : SendMessageRequest.builder().messageBody(envelope(subscription, notification));
            sqs.sendMessage(request.queueUrl(queueUrl(subscription.endpoint())).build());
        } catch (SqsException | IllegalArgumentException e) {
            failures.incrementAndGet();
            LOG.log(
                    Level.WARNING,
                    "sns delivery failed subscription={0} queue={1} messageId={2}: {3}",
                    subscription.arn(),
                    subscription.endpoint(),
                    notification.messageId(),
                    e.getMessage());
        }
    }

    long failures() {
        return failures.get();
    }

    /** AWS's notification envelope, its fields in AWS's order. The signature is a placeholder, not verifiable. */
    String envelope(Subscription subscription, Notification notification) {
        var envelope = JSON.createObjectNode()
                .put("Type", "Notification")
                .put("MessageId", notification.messageId())
                .put("TopicArn", notification.topicArn());
        notification.subject().ifPresent(subject -> envelope.put("Subject", subject));
        envelope.put("Message", notification.message())
                .put(
                        "Timestamp",
                        DateTimeFormatter.ISO_INSTANT.format(
                                notification.timestamp().truncatedTo(ChronoUnit.MILLIS)))
                .put("SignatureVersion", "1")
                .put(
                        "Signature",
                        Base64.getEncoder()
                                .encodeToString(
                                        notification.messageId().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .put(
                        "SigningCertURL",
                        snsEndpoint
                                .resolve("/SimpleNotificationService-emulator.pem")
                                .toString())
                .put(
                        "UnsubscribeURL",
                        snsEndpoint
                                .resolve("/?Action=Unsubscribe&SubscriptionArn=" + subscription.arn())
                                .toString());
        if (!notification.attributes().isEmpty()) {
            var attributes = envelope.putObject("MessageAttributes");
            notification.attributes().forEach((name, attribute) -> attributes
                    .putObject(name)
                    .put("Type", attribute.dataType())
                    .put("Value", attribute.value()));
        }
        return envelope.toString();
    }

    private static Map<String, MessageAttributeValue> sqsAttributes(Map<String, MessageAttribute> attributes) {
        var sqsAttributes = new LinkedHashMap<String, MessageAttributeValue>();
        attributes.forEach((name, attribute) -> {
            var value = MessageAttributeValue.builder().dataType(attribute.dataType());
            if (attribute.isBinary()) {
                value.binaryValue(SdkBytes.fromByteArray(Base64.getDecoder().decode(attribute.value())));
            } else {
                value.stringValue(attribute.value());
            }
            sqsAttributes.put(name, value.build());
        });
        return sqsAttributes;
    }

    /** {@code arn:aws:sqs:<region>:<account>:<name>} → the queue's URL, asked of SQS once per queue. */
    private String queueUrl(String queueArn) {
        return queueUrls.computeIfAbsent(queueArn, arn -> {
            var parts = arn.split(":", 6);
            if (parts.length != 6 || !"sqs".equals(parts[2])) {
                throw new IllegalArgumentException("not an SQS queue ARN: " + arn);
            }
            return sqs.getQueueUrl(b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4]))
                    .queueUrl();
        });
    }
}
