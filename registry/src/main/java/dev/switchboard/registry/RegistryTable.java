package dev.switchboard.registry;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
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
                .attributeDefinitions(string(Items.PK), string(Items.SK))
                .keySchema(key(Items.PK, KeyType.HASH), key(Items.SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(settings.index())
                        .keySchema(key(Items.SK, KeyType.HASH), key(Items.PK, KeyType.RANGE))
                        .projection(Projection.builder()
                                .projectionType(ProjectionType.ALL)
                                .build())
                        .build()));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        dynamoDb.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(Items.TTL).enabled(true)));
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
