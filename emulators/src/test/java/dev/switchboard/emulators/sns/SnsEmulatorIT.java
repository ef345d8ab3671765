package dev.switchboard.emulators.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(EmulatorsExtension.class)
class SnsEmulatorIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsClient sns;
    private final SqsClient sqs;
    private final TestNames names;

    SnsEmulatorIT(Emulators emulators, TestNames names) {
        this.sns = emulators.snsClient();
        this.sqs = emulators.sqsClient();
        this.names = names;
    }

    @Test
    void anEnvelopedDeliveryCarriesAwsNotificationEnvelope() throws Exception {
        var topic = topic();
        var queue = queue();
        subscribe(topic, queue, false);

        var messageId = sns.publish(b -> b.topicArn(topic)
                        .subject("greeting")
                        .message("{\"hello\":\"world\"}")
                        .messageAttributes(Map.of(
                                "kind", string("note"),
                                "count",
                                        MessageAttributeValue.builder()
                                                .dataType("Number")
                                                .stringValue("42")
                                                .build(),
                                "blob",
                                        MessageAttributeValue.builder()
                                                .dataType("Binary")
                                                .binaryValue(SdkBytes.fromUtf8String("bytes"))
                                                .build())))
                .messageId();

        var envelope = JSON.readTree(receiveOne(queue).body());
        assertThat(envelope.path("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.path("MessageId").asText()).isEqualTo(messageId);
        assertThat(envelope.path("TopicArn").asText()).isEqualTo(topic);
        assertThat(envelope.path("Subject").asText()).isEqualTo("greeting");
        assertThat(envelope.path("Message").asText()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(Instant.parse(envelope.path("Timestamp").asText()))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(envelope.path("SignatureVersion").asText()).isEqualTo("1");
        assertThat(List.of("Signature", "SigningCertURL", "UnsubscribeURL"))
                .allSatisfy(field -> assertThat(envelope.path(field).asText()).isNotEmpty());
        var attributes = envelope.path("MessageAttributes");
        assertThat(attribute(attributes, "kind")).isEqualTo(Map.of("Type", "String", "Value", "note"));
        assertThat(attribute(attributes, "count")).isEqualTo(Map.of("Type", "Number", "Value", "42"));
        assertThat(attribute(attributes, "blob"))
                .isEqualTo(Map.of(
                        "Type",
                        "Binary",
                        "Value",
                        Base64.getEncoder().encodeToString("bytes".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aRawDeliveryCarriesTheMessageAndItsAttributesAsSqsAttributes() {
        var topic = topic();
        var queue = queue();
        subscribe(topic, queue, true);

        sns.publish(b -> b.topicArn(topic)
                .message("plain <body> & \"quotes\" ü ✓")
                .messageAttributes(Map.of(
                        "user_id",
                        string("u1"),
                        "blob",
                        MessageAttributeValue.builder()
                                .dataType("Binary")
                                .binaryValue(SdkBytes.fromUtf8String("bytes"))
                                .build())));

        var message = receiveOne(queue);
        assertThat(message.body()).isEqualTo("plain <body> & \"quotes\" ü ✓");
        assertThat(message.messageAttributes().get("user_id").stringValue()).isEqualTo("u1");
        assertThat(message.messageAttributes().get("blob").binaryValue().asUtf8String())
                .isEqualTo("bytes");
    }

    @Test
    void publishBatchDeliversEveryEntryAndReportsTheOnesItRefused() {
        var topic = topic();
        var queue = queue();
        subscribe(topic, queue, true);
        var entries = IntStream.range(0, 3)
                .mapToObj(i -> PublishBatchRequestEntry.builder()
                        .id("e" + i)
                        .message("message " + i)
                        .build())
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        entries.add(PublishBatchRequestEntry.builder().id("empty").message("").build());

        var result = sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries));

        assertThat(result.successful()).extracting(s -> s.id()).containsExactly("e0", "e1", "e2");
        assertThat(result.failed()).singleElement().satisfies(failed -> {
            assertThat(failed.id()).isEqualTo("empty");
            assertThat(failed.code()).isEqualTo("InvalidParameter");
            assertThat(failed.senderFault()).isTrue();
        });
        assertThat(receive(queue, 3))
                .extracting(Message::body)
                .containsExactlyInAnyOrder("message 0", "message 1", "message 2");
    }

    @Test
    void rawDeliveryCanBeSwitchedOnAfterSubscribing() {
        var topic = topic();
        var queue = queue();
        var subscription = subscribe(topic, queue, false);

        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription)
                .attributeName("RawMessageDelivery")
                .attributeValue("true"));
        sns.publish(b -> b.topicArn(topic).message("raw now"));

        assertThat(receiveOne(queue).body()).isEqualTo("raw now");
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription))
                        .attributes())
                .containsEntry("RawMessageDelivery", "true")
                .containsEntry("TopicArn", topic);
    }

    @Test
    void anUnsubscribedQueueGetsNothingMoreWhileOthersStillDo() {
        var topic = topic();
        var kept = queue();
        var dropped = queue();
        subscribe(topic, kept, true);
        var subscription = subscribe(topic, dropped, true);

        sns.unsubscribe(b -> b.subscriptionArn(subscription));
        sns.publish(b -> b.topicArn(topic).message("after"));

        assertThat(receiveOne(kept).body()).isEqualTo("after");
        assertThat(sqs.receiveMessage(b -> b.queueUrl(dropped).waitTimeSeconds(1))
                        .messages())
                .isEmpty();
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions())
                .extracting(s -> s.endpoint())
                .containsExactly(arnOf(kept));
    }

    @Test
    void createTopicIsIdempotentAndListed() {
        var name = names.unique("topic");

        var first = sns.createTopic(b -> b.name(name)).topicArn();
        var second = sns.createTopic(b -> b.name(name)).topicArn();

        assertThat(second).isEqualTo(first).isEqualTo("arn:aws:sns:us-east-1:000000000000:" + name);
        assertThat(sns.listTopics().topics()).extracting(t -> t.topicArn()).contains(first);
        assertThat(sns.getTopicAttributes(b -> b.topicArn(first)).attributes()).containsEntry("TopicArn", first);
    }

    @Test
    void publishingToAnUnknownTopicIsNotFound() {
        assertThatThrownBy(
                        () -> sns.publish(b -> b.topicArn("arn:aws:sns:us-east-1:000000000000:" + names.unique("none"))
                                .message("x")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Topic does not exist");
    }

    @Test
    void anUnsupportedProtocolIsAnInvalidParameter() {
        var topic = topic();

        assertThatThrownBy(() ->
                        sns.subscribe(b -> b.topicArn(topic).protocol("email").endpoint("someone@example.com")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("only sqs");
    }

    @Test
    void aBatchOfElevenIsRefusedWhole() {
        var topic = topic();
        var entries = IntStream.range(0, 11)
                .mapToObj(i -> PublishBatchRequestEntry.builder()
                        .id("e" + i)
                        .message("m")
                        .build())
                .toList();

        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries)))
                .isInstanceOf(TooManyEntriesInBatchRequestException.class);
    }

    @Test
    void aDeliveryToAMissingQueueIsCountedAndThePublishStillSucceeds(Emulators emulators) {
        var topic = topic();
        sns.subscribe(b -> b.topicArn(topic)
                .protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:" + names.unique("gone")));
        var before = emulators.sns().deliveryFailures();

        var published = sns.publish(b -> b.topicArn(topic).message("lost"));

        assertThat(published.messageId()).isNotBlank();
        assertThat(emulators.sns().deliveryFailures()).isEqualTo(before + 1);
    }

    private String topic() {
        return sns.createTopic(b -> b.name(names.unique("topic"))).topicArn();
    }

    private String queue() {
        return sqs.createQueue(b -> b.queueName(names.unique("queue"))).queueUrl();
    }

    private String subscribe(String topic, String queueUrl, boolean raw) {
        return sns.subscribe(b -> b.topicArn(topic)
                        .protocol("sqs")
                        .endpoint(arnOf(queueUrl))
                        .attributes(Map.of("RawMessageDelivery", Boolean.toString(raw)))
                        .returnSubscriptionArn(true))
                .subscriptionArn();
    }

    private String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private Message receiveOne(String queueUrl) {
        return receive(queueUrl, 1).getFirst();
    }

    private List<Message> receive(String queueUrl, int count) {
        var received = new java.util.ArrayList<Message>();
        Await.until(
                count + " messages on " + queueUrl,
                DEADLINE,
                () -> sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                                .maxNumberOfMessages(10)
                                .waitTimeSeconds(1)
                                .messageAttributeNames("All"))
                        .messages(),
                batch -> {
                    received.addAll(batch);
                    return received.size() >= count;
                });
        return received;
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    private static Map<String, String> attribute(JsonNode attributes, String name) {
        return JSON.convertValue(
                attributes.path(name), JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }
}
