package dev.switchboard.registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Queries of the registry's table: requests built for its keys and its index, every page followed, each page's
 * capacity recorded, live items only where asked; an SDK failure becomes a {@link RegistryException} naming the
 * operation and the table.
 */
final class Queries {
    private final DynamoDbClient dynamoDb;
    private final RegistrySettings settings;
    private final Items items;
    private final CapacityMeter meter;
    private final Clock clock;

    Queries(DynamoDbClient dynamoDb, RegistrySettings settings, Items items, CapacityMeter meter, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
        this.items = items;
        this.meter = meter;
        this.clock = clock;
    }

    List<Target> targets(Operation operation, QueryRequest.Builder request) {
        var targets = new ArrayList<Target>();
        var now = clock.instant().getEpochSecond();
        query(operation, request.build(), item -> {
            if (Items.isLive(item, now)) {
                targets.add(items.target(item));
            }
        });
        return targets;
    }

    QueryRequest.Builder partitionQuery(String partition) {
        return QueryRequest.builder()
                .tableName(settings.table())
                .limit(settings.pageSize())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", Items.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition)));
    }

    QueryRequest.Builder beginsWith(String partition, String sortPrefix) {
        return partitionQuery(partition)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Items.PK, "#sk", Items.SK))
                .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS(partition), ":prefix", AttributeValue.fromS(sortPrefix)));
    }

    QueryRequest.Builder indexQuery(String connectionId) {
        return QueryRequest.builder()
                .tableName(settings.table())
                .indexName(settings.index())
                .limit(settings.pageSize())
                .keyConditionExpression("#sk = :sk")
                .expressionAttributeNames(Map.of("#sk", Items.SK))
                .expressionAttributeValues(Map.of(":sk", AttributeValue.fromS(items.connectionKey(connectionId))));
    }

    /** Every page of a Query (the SDK's paginator follows LastEvaluatedKey), each page's capacity recorded. */
    void query(Operation operation, QueryRequest request, Consumer<Map<String, AttributeValue>> each) {
        call(operation, () -> dynamoDb.queryPaginator(request.toBuilder()
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build())
                .forEach(page -> {
                    meter.read(operation, page.consumedCapacity());
                    page.items().forEach(each);
                }));
    }

    void call(Operation operation, Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            throw new RegistryException(operation + " on table " + settings.table(), e);
        }
    }

    /** One write, its capacity recorded. */
    void write(Operation operation, Supplier<ConsumedCapacity> write) {
        call(operation, () -> meter.write(operation, write.get()));
    }
}
