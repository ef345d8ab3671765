package dev.switchboard.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchWriteItem in chunks of 25, retrying unprocessed items with backoff until they are written or it fails. */
final class Batches {
    static final int MAX_BATCH = 25;
    private static final int MAX_ATTEMPTS = 8;
    /** BatchWriteItem calls of one operation's grouped writes at a time (see {@link Grouped}). */
    static final int GROUPED_IN_FLIGHT = 4;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final CapacityMeter meter;
    private final Map<Operation, Grouped<WriteRequest>> grouped = new ConcurrentHashMap<>();

    Batches(DynamoDbClient dynamoDb, String table, CapacityMeter meter) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.meter = meter;
    }

    /** A put of the item, for {@link #write}. */
    static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder()
                .putRequest(PutRequest.builder().item(item).build())
                .build();
    }

    /** A delete of the item with this key, for {@link #write}. */
    static WriteRequest delete(String pk, String sk) {
        return WriteRequest.builder()
                .deleteRequest(DeleteRequest.builder().key(Items.key(pk, sk)).build())
                .build();
    }

    /** A delete of this item (its key read from it), for {@link #write}. */
    static WriteRequest deleteOf(Map<String, AttributeValue> item) {
        return delete(item.get(Items.PK).s(), item.get(Items.SK).s());
    }

    /**
     * Writes every request.
     *
     * @throws RegistryException when DynamoDB fails, or still leaves items unprocessed after the last attempt
     */
    void write(Operation operation, List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += MAX_BATCH) {
            var chunk = requests.subList(from, Math.min(requests.size(), from + MAX_BATCH));
            writeChunk(operation, new ArrayList<>(chunk));
        }
    }

    /**
     * Writes a few requests (a connection's, a subscription's) in a BatchWriteItem shared with concurrent writers of
     * the same operation ({@link Grouped}).
     *
     * @throws RegistryException as {@link #write}, when the call that carried them failed
     */
    void writeGrouped(Operation operation, List<WriteRequest> requests) {
        if (requests.size() > MAX_BATCH) {
            write(operation, requests);
            return;
        }
        grouped.computeIfAbsent(
                        operation,
                        o -> new Grouped<>(MAX_BATCH, GROUPED_IN_FLIGHT, Batches::keyOf, items -> {
                            write(o, items);
                            return Map.of();
                        }))
                .send(requests);
    }

    /** The key a request writes (an item without its key fails in DynamoDB, not here). */
    private static Object keyOf(WriteRequest request) {
        var item = request.putRequest() != null
                ? request.putRequest().item()
                : request.deleteRequest().key();
        return List.of(String.valueOf(item.get(Items.PK)), String.valueOf(item.get(Items.SK)));
    }

    private void writeChunk(Operation operation, List<WriteRequest> chunk) {
        Map<String, List<WriteRequest>> pending = Map.of(table, chunk);
        for (int attempt = 1; ; attempt++) {
            var items = pending;
            try {
                var result = dynamoDb.batchWriteItem(
                        b -> b.requestItems(items).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                meter.write(operation, result.consumedCapacity());
                if (!result.hasUnprocessedItems() || result.unprocessedItems().isEmpty()) {
                    return;
                }
                pending = result.unprocessedItems();
            } catch (SdkException e) {
                throw new RegistryException(operation + ": writing " + chunk.size() + " items to " + table, e);
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new RegistryException(
                        operation + ": " + pending.get(table).size() + " items still unprocessed in " + table
                                + " after " + attempt + " attempts");
            }
            backOff(attempt);
        }
    }

    private static void backOff(int attempt) {
        try {
            // Exponential backoff with full jitter, as AWS recommends for unprocessed batch items.
            Thread.sleep((long) (Math.random() * Math.min(1000, 25L << attempt)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while retrying unprocessed items");
        }
    }
}
