package dev.switchboard.pusher;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A notifications queue with its dead-letter queue (redrive after {@code maxReceiveCount}), fed by two topics: one
 * delivering raw, one in SNS's envelope, as deployments may have either.
 */
final class Queues {
    final Emulators emulators;
    final String queueUrl;
    final String deadLetterUrl;
    final String rawTopicArn;
    final String envelopedTopicArn;

    Queues(Emulators emulators, TestNames names, int maxReceiveCount) {
        this.emulators = emulators;
        var sqs = emulators.sqsClient();
        this.deadLetterUrl = sqs.createQueue(b -> b.queueName(names.unique("notifications-dlq")))
                .queueUrl();
        var deadLetterArn = arn(deadLetterUrl);
        this.queueUrl = sqs.createQueue(b -> b.queueName(names.unique("notifications"))
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"maxReceiveCount\":\"" + maxReceiveCount + "\",\"deadLetterTargetArn\":\""
                                        + deadLetterArn + "\"}")))
                .queueUrl();
        var sns = emulators.snsClient();
        this.rawTopicArn = sns.createTopic(b -> b.name(names.unique("raw"))).topicArn();
        this.envelopedTopicArn =
                sns.createTopic(b -> b.name(names.unique("enveloped"))).topicArn();
        var queueArn = arn(queueUrl);
        sns.subscribe(b -> b.topicArn(rawTopicArn)
                .protocol("sqs")
                .endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        sns.subscribe(b -> b.topicArn(envelopedTopicArn).protocol("sqs").endpoint(queueArn));
    }

    private String arn(String url) {
        return emulators
                .sqsClient()
                .getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    void send(String body) {
        emulators.sqsClient().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }

    /** Messages on the queue, visible or in flight. */
    int pending() {
        var attributes = emulators
                .sqsClient()
                .getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Receives from the dead-letter queue (one long poll of {@code wait}), with attributes. */
    List<Message> deadLetters(Duration wait) {
        return emulators
                .sqsClient()
                .receiveMessage(b -> b.queueUrl(deadLetterUrl)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds((int) wait.toSeconds())
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
    }
}
