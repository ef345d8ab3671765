package dev.switchboard.local;

import dev.switchboard.emulators.Emulators;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS resources of the stack, as the Terraform module makes them on AWS: the connections table, and for
 * notifications and messages each a topic delivering (raw) into a queue that redrives to a dead-letter queue.
 */
record LocalResources(String table, Channel notifications, Channel messages) {
    /** A topic subscribed to a queue, which has a dead-letter queue. */
    record Channel(String topicArn, String queueUrl, String deadLetterQueueUrl) {}

    // The seed's layout; the registry owns it from its own issue on.
    static final String PARTITION_KEY = "pk";
    static final String SORT_KEY = "sk";
    static final String TTL_ATTRIBUTE = "ttl";

    /** Creates everything, the table and each channel in parallel: most of the time is the SDK's first calls. */
    static LocalResources create(Emulators emulators, LocalSettings settings) {
        // A thread each: the common pool has one thread on two cores, which would run them one after another.
        Executor ownThread =
                task -> Thread.ofPlatform().name("local-resources").daemon().start(task);
        var table = CompletableFuture.runAsync(() -> createTable(emulators.dynamoDbClient(), settings), ownThread);
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

    private static void createTable(DynamoDbClient dynamoDb, LocalSettings settings) {
        var table = settings.connectionsTable();
        dynamoDb.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(stringAttribute(PARTITION_KEY), stringAttribute(SORT_KEY))
                .keySchema(key(PARTITION_KEY, KeyType.HASH), key(SORT_KEY, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(settings.connectionsIndex())
                        .keySchema(key(SORT_KEY, KeyType.HASH), key(PARTITION_KEY, KeyType.RANGE))
                        .projection(Projection.builder()
                                .projectionType(ProjectionType.ALL)
                                .build())
                        .build()));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        dynamoDb.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(ttl -> ttl.attributeName(TTL_ATTRIBUTE).enabled(true)));
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

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
