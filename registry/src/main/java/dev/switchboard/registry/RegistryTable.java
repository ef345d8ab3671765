package dev.switchboard.registry;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the registry's table as the Terraform module does on AWS: hash {@code pk}, range {@code sk}, both
 * strings; the index on ({@code sk}, {@code pk}) projecting everything; on-demand billing; TTL on the Number
 * {@code ttl}. For tests and the local stack.
 */
public final class RegistryTable {
    private RegistryTable() {}

    /** CreateTable, wait until it exists, UpdateTimeToLive. */
    public static void create(DynamoDbClient dynamoDb, RegistrySettings settings) {
        var table = settings.table();
        dynamoDb.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName(Items.PK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(Items.SK).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(Items.PK).keyType(KeyType.HASH), k -> k.attributeName(Items.SK)
                        .keyType(KeyType.RANGE))
                .globalSecondaryIndexes(index -> index.indexName(settings.index())
                        .keySchema(k -> k.attributeName(Items.SK).keyType(KeyType.HASH), k -> k.attributeName(Items.PK)
                                .keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        dynamoDb.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(Items.TTL).enabled(true)));
    }
}
