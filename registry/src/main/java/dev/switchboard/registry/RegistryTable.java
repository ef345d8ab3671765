package dev.switchboard.registry;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Creates the registry's table as the Terraform module does on AWS: hash {@code pk}, range {@code sk}, both
 * strings; the index on ({@code sk}, {@code pk}) projecting everything; on-demand billing; TTL on the Number
 * {@code ttl}. For tests and the local stack.
 */
public final class RegistryTable {
    private static final System.Logger LOG = System.getLogger(RegistryTable.class.getName());

    /** The error code of a DynamoDB-compatible server that lacks an operation (dynalite: UpdateTimeToLive). */
    static final String UNKNOWN_OPERATION = "UnknownOperationException";

    private RegistryTable() {}

    /**
     * CreateTable, wait until it exists, UpdateTimeToLive. A server without TTL (dynalite) keeps expired items,
     * which every read of the registry treats as absent anyway: that is logged, not an error.
     */
    public static void create(DynamoDbClient dynamoDb, RegistrySettings settings) {
        var table = settings.table();
        dynamoDb.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(Items.PK), string(Items.SK))
                .keySchema(key(Items.PK, KeyType.HASH), key(Items.SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(settings.index())
                        .keySchema(key(Items.SK, KeyType.HASH), key(Items.PK, KeyType.RANGE))
                        .projection(Projection.builder()
                                .projectionType(ProjectionType.ALL)
                                .build())
                        .build()));
        // The SDK's waiter polls every 20 s by default: a table still CREATING at the first look (dynalite, for a
        // moment) would cost 20 s. From 50 ms up to 1 s between polls is quick locally and gentle on AWS.
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table), w -> w.backoffStrategyV2(
                        BackoffStrategy.exponentialDelayWithoutJitter(Duration.ofMillis(50), Duration.ofSeconds(1)))
                .waitTimeout(Duration.ofMinutes(5)));
        try {
            dynamoDb.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName(Items.TTL).enabled(true)));
        } catch (DynamoDbException e) {
            if (e.awsErrorDetails() == null
                    || !UNKNOWN_OPERATION.equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    "table created without TTL table={0}: this DynamoDB has no UpdateTimeToLive; expired items"
                            + " stay and are read as absent",
                    table);
        }
    }

    /**
     * Uses the table if it exists with the registry's keys and index (made by Terraform, or by an earlier run against
     * the same DynamoDB), else {@link #create}s it: one DescribeTable first.
     *
     * @throws RegistryException when a table of that name exists with other keys or without the index
     */
    public static void ensure(DynamoDbClient dynamoDb, RegistrySettings settings) {
        TableDescription table;
        try {
            table = dynamoDb.describeTable(b -> b.tableName(settings.table())).table();
        } catch (ResourceNotFoundException e) {
            create(dynamoDb, settings);
            return;
        }
        var keys = keysOf(table.keySchema());
        var index = table.globalSecondaryIndexes().stream()
                .filter(i -> i.indexName().equals(settings.index()))
                .findFirst();
        var expected = Items.PK + " HASH, " + Items.SK + " RANGE";
        var expectedIndex = Items.SK + " HASH, " + Items.PK + " RANGE";
        if (!keys.equals(expected)
                || index.isEmpty()
                || !keysOf(index.get().keySchema()).equals(expectedIndex)) {
            throw new RegistryException("table " + settings.table() + " exists but is not the registry's: it has keys ("
                    + keys + ") and index " + settings.index() + " "
                    + index.map(i -> "(" + keysOf(i.keySchema()) + ")").orElse("missing") + "; the registry needs"
                    + " keys (" + expected + ") and that index on (" + expectedIndex + "), docs/registry.md");
        }
    }

    private static String keysOf(List<KeySchemaElement> schema) {
        return String.join(
                ", ",
                schema.stream()
                        .map(k -> k.attributeName() + " " + k.keyTypeAsString())
                        .toList());
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
