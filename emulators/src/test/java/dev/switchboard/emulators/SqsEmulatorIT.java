package dev.switchboard.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

@ExtendWith(EmulatorsExtension.class)
class SqsEmulatorIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final SqsClient sqs;
    private final TestNames names;

    SqsEmulatorIT(Emulators emulators, TestNames names) {
        this.sqs = emulators.sqsClient();
        this.names = names;
    }

    @Test
    void queueUrlsNameTheBoundAddressAndArnsTheConfiguredAccount(Emulators emulators) {
        var url = sqs.createQueue(b -> b.queueName(names.unique("q"))).queueUrl();

        assertThat(url).startsWith(emulators.sqsEndpoint() + "/000000000000/");
        assertThat(arnOf(url)).startsWith("arn:aws:sqs:us-east-1:000000000000:");
    }

    @Test
    void aBatchOfTenIsSentAndReceived() {
        var url = sqs.createQueue(b -> b.queueName(names.unique("batch"))).queueUrl();
        var entries = IntStream.range(0, 10)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder()
                        .id("m" + i)
                        .messageBody("body-" + i)
                        .build())
                .toList();

        var sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));

        assertThat(sent.successful()).hasSize(10);
        var received = new ArrayList<String>();
        Await.until("ten messages", DEADLINE, () -> receive(url, 1), batch -> {
            batch.forEach(m -> received.add(m.body()));
            return received.size() >= 10;
        });
        assertThat(received)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 10).mapToObj(i -> "body-" + i).toList());
    }

    @Test
    void aLongPollWakesForAMessageSentWhileItWaits() throws Exception {
        var url = sqs.createQueue(b -> b.queueName(names.unique("long-poll"))).queueUrl();
        var poll = CompletableFuture.supplyAsync(() -> sqs.receiveMessage(
                        b -> b.queueUrl(url).waitTimeSeconds(20).maxNumberOfMessages(1))
                .messages());

        sqs.sendMessage(b -> b.queueUrl(url).messageBody("wake up"));

        assertThat(poll.get(15, TimeUnit.SECONDS)).extracting(Message::body).containsExactly("wake up");
    }

    @Test
    void aMessageInFlightIsInvisibleUntilItsVisibilityIsReset() {
        var url = sqs.createQueue(b -> b.queueName(names.unique("visibility"))).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("once"));
        var first = Await.until("the message", DEADLINE, () -> receive(url, 1), m -> !m.isEmpty())
                .getFirst();

        assertThat(receive(url, 1)).isEmpty();

        sqs.changeMessageVisibility(
                b -> b.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
        var again = Await.until("the message again", DEADLINE, () -> receive(url, 1), m -> !m.isEmpty())
                .getFirst();
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
    }

    @Test
    void aMessageReceivedTooOftenIsRedrivenToTheDeadLetterQueue() {
        var dlq = sqs.createQueue(b -> b.queueName(names.unique("dlq"))).queueUrl();
        var redrive = "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"" + arnOf(dlq) + "\"}";
        var url = sqs.createQueue(b -> b.queueName(names.unique("redriven"))
                        .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive)))
                .queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison"));

        // Receive and release it (visibility 0) until SQS moves it after the second receive.
        var deadLettered = Await.until(
                "the message in the dead-letter queue",
                DEADLINE,
                () -> {
                    receiveAndRelease(url);
                    return receive(dlq, 0);
                },
                m -> !m.isEmpty());

        assertThat(deadLettered).extracting(Message::body).containsExactly("poison");
    }

    @Test
    void anUnknownQueueIsReportedAsSuch() {
        assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName(names.unique("missing"))))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    private List<Message> receive(String url, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(waitSeconds)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
    }

    private void receiveAndRelease(String url) {
        sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(0).visibilityTimeout(0));
    }

    private String arnOf(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }
}
