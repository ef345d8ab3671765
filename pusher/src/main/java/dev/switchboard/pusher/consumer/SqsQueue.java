package dev.switchboard.pusher.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The notifications queue in SQS, through the SDK's async client. Thread-safe. */
public final class SqsQueue implements NotificationQueue {
    private static final System.Logger LOG = System.getLogger(SqsQueue.class.getName());
    /** SQS keeps a message attribute's value short enough here; the reason is for people. */
    private static final int REASON_MAX = 1000;

    private final SqsAsyncClient sqs;
    private final String queueUrl;

    public SqsQueue(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public String url() {
        return queueUrl;
    }

    @Override
    public CompletableFuture<List<Message>> receive(int max, Duration wait, Duration visibility) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(max)
                        .waitTimeSeconds((int) wait.toSeconds())
                        .visibilityTimeout((int) visibility.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .thenApply(response -> response.messages());
    }

    @Override
    public CompletableFuture<Map<String, String>> delete(List<Message> messages) {
        var entries = messages.stream()
                .map(m -> DeleteMessageBatchRequestEntry.builder()
                        .id(m.messageId())
                        .receiptHandle(m.receiptHandle())
                        .build())
                .toList();
        return sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                .thenApply(response -> {
                    var failed = new LinkedHashMap<String, String>();
                    response.failed().forEach(f -> failed.put(f.id(), f.message()));
                    return failed;
                });
    }

    @Override
    public Set<String> changeVisibility(List<Message> messages, Duration visibility) {
        var entries = messages.stream()
                .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(m.messageId())
                        .receiptHandle(m.receiptHandle())
                        .visibilityTimeout((int) visibility.toSeconds())
                        .build())
                .toList();
        var failed = new HashSet<String>();
        try {
            var response = sqs.changeMessageVisibilityBatch(
                            b -> b.queueUrl(queueUrl).entries(entries))
                    .join();
            response.failed().forEach(f -> {
                failed.add(f.id());
                LOG.log(Level.WARNING, "visibility not changed messageId={0}: {1}", f.id(), f.message());
            });
        } catch (CompletionException e) {
            entries.forEach(entry -> failed.add(entry.id()));
            LOG.log(Level.WARNING, "visibility change failed: {0}", e.getCause());
        }
        return failed;
    }

    @Override
    public Optional<String> deadLetterQueue() {
        var policy = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .join()
                .attributes()
                .get(QueueAttributeName.REDRIVE_POLICY);
        if (policy == null) {
            return Optional.empty();
        }
        String arn;
        try {
            arn = new ObjectMapper()
                    .readTree(policy)
                    .path("deadLetterTargetArn")
                    .asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the redrive policy of " + queueUrl + " is not JSON: " + policy, e);
        }
        var name = arn.substring(arn.lastIndexOf(':') + 1);
        return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).join().queueUrl());
    }

    @Override
    public void deadLetter(String deadLetterQueue, Message message, String reason) {
        sqs.sendMessage(b -> b.queueUrl(deadLetterQueue)
                        .messageBody(message.body())
                        .messageAttributes(Map.of(
                                QueueConsumer.REFUSAL_ATTRIBUTE,
                                MessageAttributeValue.builder()
                                        .dataType("String")
                                        .stringValue(
                                                reason.length() > REASON_MAX ? reason.substring(0, REASON_MAX) : reason)
                                        .build())))
                .join();
    }
}
