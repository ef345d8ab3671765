package dev.switchboard.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

@ExtendWith(EmulatorsExtension.class)
class DynamoDbEmulatorIT {
    private final DynamoDbClient dynamoDb;
    private final String table;

    DynamoDbEmulatorIT(Emulators emulators, TestNames names) {
        this.dynamoDb = emulators.dynamoDbClient();
        this.table = names.unique("table");
    }

    @Test
    void listensOnLoopbackOnly(Emulators emulators) {
        assertThat(emulators.dynamoDbEndpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(emulators.dynamoDbEndpoint().getPort()).isPositive();
    }

    @Test
    void anItemWrittenIsFoundThroughTheIndexOnItsSortKey() {
        createTableWithSortKeyIndex();
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("topic#a"), "sk", s("conn#1"))));
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("topic#b"), "sk", s("conn#1"))));
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("topic#b"), "sk", s("conn#2"))));

        var items = dynamoDb.query(b -> b.tableName(table)
                .indexName("bySk")
                .keyConditionExpression("sk = :sk")
                .expressionAttributeValues(Map.of(":sk", s("conn#1")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));

        assertThat(items.items()).extracting(i -> i.get("pk").s()).containsExactlyInAnyOrder("topic#a", "topic#b");
        assertThat(items.consumedCapacity().globalSecondaryIndexes()).containsKey("bySk");
    }

    @Test
    void timeToLiveIsAnUnknownOperationSoTheRegistryMustReadExpiredItemsAsAbsent() {
        // docs/registry.md, "The local engine": if this starts to pass through, the docs and RegistryTable change.
        createTableWithSortKeyIndex();

        assertThatThrownBy(() -> dynamoDb.updateTimeToLive(b -> b.tableName(table)
                        .timeToLiveSpecification(t -> t.attributeName("ttl").enabled(true))))
                .isInstanceOfSatisfying(
                        DynamoDbException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException"));
    }

    @Test
    void aConditionalAddToAStringSetReturnsTheOldItemAndRefusesARepeat() {
        createTableWithSortKeyIndex();
        var add = UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of("pk", s("user#a"), "sk", s("presence#a")))
                .updateExpression("ADD #c :ids")
                .conditionExpression("attribute_not_exists(#c) OR NOT contains(#c, :id)")
                .expressionAttributeNames(Map.of("#c", "conns"))
                .expressionAttributeValues(Map.of(":ids", AttributeValue.fromSs(List.of("c1")), ":id", s("c1")))
                .returnValues(ReturnValue.ALL_OLD)
                .build();

        var first = dynamoDb.updateItem(add);

        assertThat(first.attributes()).isEmpty();
        assertThatThrownBy(() -> dynamoDb.updateItem(add)).isInstanceOf(ConditionalCheckFailedException.class);
    }

    @Test
    void writeCapacityCountsTheTableOnlyNotTheIndex() {
        // DynamoDB bills a write to an item in an index once more for the index; dynalite reports the table's
        // unit only (docs/registry.md, "Capacity per operation", says how the figures are read).
        createTableWithSortKeyIndex();

        var put = dynamoDb.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("topic#a"), "sk", s("conn#1")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));

        assertThat(put.consumedCapacity().capacityUnits()).isEqualTo(1.0);
        assertThat(put.consumedCapacity().globalSecondaryIndexes()).isNullOrEmpty();
    }

    private void createTableWithSortKeyIndex() {
        dynamoDb.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk")
                        .keyType(KeyType.RANGE))
                .globalSecondaryIndexes(index -> index.indexName("bySk")
                        .keySchema(k -> k.attributeName("sk").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        // dynalite answers CreateTable with the table still CREATING for a moment: wait until it is ACTIVE.
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table), w -> w.backoffStrategyV2(
                        BackoffStrategy.exponentialDelayWithoutJitter(Duration.ofMillis(50), Duration.ofSeconds(1)))
                .waitTimeout(Duration.ofMinutes(1)));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
