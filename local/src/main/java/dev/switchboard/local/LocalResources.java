package dev.switchboard.local;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.registry.RegistryTable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS resources of the stack, as the Terraform module makes them on AWS: the registry's table (kept when it
 * exists, as in an external DynamoDB), and for notifications and messages each a topic delivering (raw) into a
 * queue that redrives to a dead-letter queue.
 */
record LocalResources(String table, Channel notifications, Channel messages) {
    /** A topic subscribed to a queue, which has a dead-letter queue. */
    record Channel(String topicArn, String queueUrl, String deadLetterQueueUrl) {}

    /** Creates everything, the table and each channel in parallel: most of the time is the SDK's first calls. */
    static LocalResources create(Emulators emulators, LocalSettings settings) {
        // A thread each: the common pool has one thread on two cores, which would run them one after another.
        Executor ownThread =
                task -> Thread.ofPlatform().name("local-resources").daemon().start(task);
        var table = CompletableFuture.runAsync(
                () -> RegistryTable.ensure(
                        emulators.dynamoDbClient(),
                        RegistrySettings.of(settings.connectionsTable()).withIndex(settings.connectionsIndex())),
                ownThread);
        var notifications =
                CompletableFuture.supplyAsync(() -> channel(emulators, settings, "notifications"), ownThread);
        var messages = CompletableFuture.supplyAsync(() -> channel(emulators, settings, "messages"), ownThread);
        try {
            CompletableFuture.allOf(table, notifications, messages).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return new LocalResources(settings.connectionsTable(), notifications.join(), messages.join());
    }

    private static Channel channel(Emulators emulators, LocalSettings settings, String part) {
        var sqs = emulators.sqsClient();
        var name = settings.name(part);
        var deadLetterQueueUrl =
                sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        var redrive = "{\"maxReceiveCount\":\"" + settings.maxReceiveCount() + "\",\"deadLetterTargetArn\":\""
                + arnOf(sqs, deadLetterQueueUrl) + "\"}";
        var queueUrl = sqs.createQueue(
                        b -> b.queueName(name).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive)))
                .queueUrl();
        var topicArn = subscribe(emulators.snsClient(), name, arnOf(sqs, queueUrl));
        return new Channel(topicArn, queueUrl, deadLetterQueueUrl);
    }

    private static String subscribe(SnsClient sns, String topicName, String queueArn) {
        var topicArn = sns.createTopic(b -> b.name(topicName)).topicArn();
        sns.subscribe(b -> b.topicArn(topicArn)
                .protocol("sqs")
                .endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        return topicArn;
    }

    private static String arnOf(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }
}
