package dev.switchboard.registry;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Presence: one item per user holding the set of that user's live connection ids and a version. Adding and removing
 * an id are single conditional UpdateItems, atomic in DynamoDB, so when connects and disconnects of one user race on
 * different nodes exactly one of them sees the set go from empty to one (ONLINE) or from one to empty (OFFLINE), and
 * the version orders them.
 */
final class PresenceLedger {
    private final DynamoDbClient dynamoDb;
    private final RegistrySettings settings;
    private final Items items;
    private final CapacityMeter meter;
    private final Clock clock;

    PresenceLedger(DynamoDbClient dynamoDb, RegistrySettings settings, Items items, CapacityMeter meter, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
        this.items = items;
        this.meter = meter;
        this.clock = clock;
    }

    /** UpdateItem: ADD the id to the user's set unless there; ONLINE when the set was empty (or expired). */
    Optional<PresenceChange> join(String userId, String connectionId) {
        var now = clock.instant().getEpochSecond();
        try {
            var result = dynamoDb.updateItem(b -> b.tableName(settings.table())
                    .key(items.presenceKey(userId))
                    .updateExpression("ADD #conns :ids, #version :one SET #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#conns) OR NOT contains(#conns, :id)")
                    .expressionAttributeNames(names())
                    .expressionAttributeValues(Map.of(
                            ":ids", AttributeValue.fromSs(List.of(connectionId)),
                            ":id", AttributeValue.fromS(connectionId),
                            ":one", Items.number(1),
                            ":ttl", Items.number(now + settings.connectionTtl().toSeconds())))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write("write:presence", result.consumedCapacity());
            var old = result.attributes();
            var version = version(old) + 1;
            if (old == null || old.isEmpty() || !old.containsKey(Items.CONNECTIONS)) {
                return Optional.of(new PresenceChange(userId, PresenceChange.Status.ONLINE, version));
            }
            if (!Items.isLive(old, now)) {
                // The set outlived its TTL (DynamoDB deletes late): its ids are stale. Start afresh from this one.
                reset(userId, connectionId, version);
                return Optional.of(new PresenceChange(userId, PresenceChange.Status.ONLINE, version));
            }
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty(); // already joined: register is idempotent
        } catch (SdkException e) {
            throw new RegistryException("presence: adding connection " + connectionId + " of user " + userId, e);
        }
    }

    /** UpdateItem: DELETE the id from the user's set if there; OFFLINE when it was the last one. */
    Optional<PresenceChange> leave(String userId, String connectionId) {
        try {
            var result = dynamoDb.updateItem(b -> b.tableName(settings.table())
                    .key(items.presenceKey(userId))
                    .updateExpression("DELETE #conns :ids ADD #version :one")
                    .conditionExpression("contains(#conns, :id)")
                    .expressionAttributeNames(Map.of("#conns", Items.CONNECTIONS, "#version", Items.VERSION))
                    .expressionAttributeValues(Map.of(
                            ":ids", AttributeValue.fromSs(List.of(connectionId)),
                            ":id", AttributeValue.fromS(connectionId),
                            ":one", Items.number(1)))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write("write:presence", result.consumedCapacity());
            var old = result.attributes();
            if (old.get(Items.CONNECTIONS).ss().size() == 1) {
                return Optional.of(new PresenceChange(userId, PresenceChange.Status.OFFLINE, version(old) + 1));
            }
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty(); // not (or no longer) there: deregister is idempotent
        } catch (SdkException e) {
            throw new RegistryException("presence: removing connection " + connectionId + " of user " + userId, e);
        }
    }

    /** GetItem (strongly consistent): the user's live connection count, 0 when absent or expired. */
    int connectionCount(String userId) {
        var result = dynamoDb.getItem(b -> b.tableName(settings.table())
                .key(items.presenceKey(userId))
                .consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read("read:presence", result.consumedCapacity());
        var item = result.item();
        if (item == null
                || !item.containsKey(Items.CONNECTIONS)
                || !Items.isLive(item, clock.instant().getEpochSecond())) {
            return 0;
        }
        return item.get(Items.CONNECTIONS).ss().size();
    }

    private void reset(String userId, String connectionId, long version) {
        dynamoDb.updateItem(b -> b.tableName(settings.table())
                .key(items.presenceKey(userId))
                .updateExpression("SET #conns = :ids")
                .conditionExpression("#version = :version")
                .expressionAttributeNames(Map.of("#conns", Items.CONNECTIONS, "#version", Items.VERSION))
                .expressionAttributeValues(Map.of(
                        ":ids", AttributeValue.fromSs(List.of(connectionId)),
                        ":version", Items.number(version))));
    }

    private static Map<String, String> names() {
        return Map.of("#conns", Items.CONNECTIONS, "#version", Items.VERSION, "#ttl", Items.TTL);
    }

    private static long version(Map<String, AttributeValue> item) {
        return item == null || !item.containsKey(Items.VERSION)
                ? 0
                : Long.parseLong(item.get(Items.VERSION).n());
    }
}
