package dev.switchboard.registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Presence: one item per user holding the set of that user's live connection ids, a {@code version} that counts the
 * user's transitions (odd: ONLINE, even: OFFLINE — the first connection makes it 1), and {@code announced}, the last
 * version published. Each join or leave is one conditional UpdateItem, atomic in DynamoDB, whose condition says
 * whether it is a transition (the set was empty, or this is its last id), so racing connects and disconnects on
 * different nodes make exactly one transition each way. Every version between {@code announced} and {@code version}
 * is owed, and its status follows from its parity: whoever finds it owed — the node that made it, a retry, a sweeper
 * after that node died — can announce it, so no presence event is lost (docs/registry.md, "Presence").
 */
final class PresenceLedger {
    /** A transition: the user's new version, and the last one announced before it. */
    record Transition(String userId, long version, long announced) {
        List<PresenceChange> owed() {
            return PresenceLedger.owed(userId, announced, version);
        }
    }

    /**
     * What a join or leave did: a transition, or none — and then whether it was a repeat (the id already there, or
     * already gone), as a retry's is, which may follow a change that was made and never announced.
     */
    record Outcome(Optional<Transition> transition, boolean repeat) {
        static final Outcome CHANGED_NOTHING = new Outcome(Optional.empty(), false);
        static final Outcome REPEAT = new Outcome(Optional.empty(), true);

        static Outcome of(Transition transition) {
            return new Outcome(Optional.of(transition), false);
        }
    }

    private static final int ATTEMPTS = 8;

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

    /**
     * Adds the id to the user's set. A transition to ONLINE when the set was empty (version + 1), or had outlived
     * its TTL (its ids stale: version + 2, an OFFLINE and this ONLINE); nothing when the user was online already or
     * the id is there (register is idempotent).
     */
    Outcome join(String userId, String connectionId) {
        for (var attempt = 0; attempt < ATTEMPTS; attempt++) {
            var now = clock.instant().getEpochSecond();
            var ttl = Items.number(now + settings.connectionTtl().toSeconds());
            var ids = AttributeValue.fromSs(List.of(connectionId));
            var first = update(
                    "SET #conns = :ids, #ttl = :ttl ADD #version :one",
                    "attribute_not_exists(#conns)",
                    userId,
                    Map.of(":ids", ids, ":ttl", ttl, ":one", Items.number(1)));
            if (first.isPresent()) {
                return Outcome.of(transition(userId, first.get()));
            }
            var stale = update(
                    "SET #conns = :ids, #ttl = :ttl ADD #version :two",
                    "attribute_exists(#conns) AND #ttl < :now",
                    userId,
                    Map.of(":ids", ids, ":ttl", ttl, ":two", Items.number(2), ":now", Items.number(now)));
            if (stale.isPresent()) {
                return Outcome.of(transition(userId, stale.get()));
            }
            var more = update(
                    "ADD #conns :ids SET #ttl = :ttl",
                    "attribute_exists(#conns) AND #ttl >= :now AND NOT contains(#conns, :id)",
                    userId,
                    Map.of(
                            ":ids",
                            ids,
                            ":ttl",
                            ttl,
                            ":now",
                            Items.number(now),
                            ":id",
                            AttributeValue.fromS(connectionId)));
            if (more.isPresent()) {
                return Outcome.CHANGED_NOTHING;
            }
            if (contains(userId, connectionId)) {
                return Outcome.REPEAT;
            }
            // The set changed between the attempts (another connect or disconnect of the user): look again.
        }
        throw new RegistryException("presence: adding connection " + connectionId + " of user " + userId
                + " kept racing other changes of that user for " + ATTEMPTS + " attempts");
    }

    /**
     * Removes the id from the user's set: a transition to OFFLINE when it was the last one (version + 1); nothing
     * when others remain or it is not there (deregister is idempotent).
     */
    Outcome leave(String userId, String connectionId) {
        var id = AttributeValue.fromS(connectionId);
        for (var attempt = 0; attempt < ATTEMPTS; attempt++) {
            var last = update(
                    "REMOVE #conns ADD #version :one",
                    "contains(#conns, :id) AND size(#conns) = :one",
                    userId,
                    Map.of(":id", id, ":one", Items.number(1)));
            if (last.isPresent()) {
                return Outcome.of(transition(userId, last.get()));
            }
            var others = update(
                    "DELETE #conns :ids",
                    "contains(#conns, :id) AND size(#conns) > :one",
                    userId,
                    Map.of(":id", id, ":ids", AttributeValue.fromSs(List.of(connectionId)), ":one", Items.number(1)));
            if (others.isPresent()) {
                return Outcome.CHANGED_NOTHING;
            }
            if (!contains(userId, connectionId)) {
                return Outcome.REPEAT;
            }
        }
        throw new RegistryException("presence: removing connection " + connectionId + " of user " + userId
                + " kept racing other changes of that user for " + ATTEMPTS + " attempts");
    }

    /** Ids a grouped leave takes in one UpdateItem: its condition names each. */
    static final int GROUP = 50;

    /**
     * Removes several ids of one user at once (a draining node's): one UpdateItem per {@value #GROUP} ids when they
     * are all in the set — OFFLINE when they are all of it — and, should any be missing or the set change meanwhile,
     * one {@link #leave} per id of that group. An outcome per group or per id.
     */
    List<Outcome> leaveAll(String userId, List<String> connectionIds) {
        var outcomes = new ArrayList<Outcome>();
        for (var from = 0; from < connectionIds.size(); from += GROUP) {
            var group = connectionIds.subList(from, Math.min(connectionIds.size(), from + GROUP));
            var values = new HashMap<String, AttributeValue>();
            var contained = new StringBuilder();
            for (var i = 0; i < group.size(); i++) {
                values.put(":id" + i, AttributeValue.fromS(group.get(i)));
                contained.append(" AND contains(#conns, :id").append(i).append(')');
            }
            values.put(":k", Items.number(group.size()));
            var all = new HashMap<>(values);
            all.put(":one", Items.number(1));
            var last = update("REMOVE #conns ADD #version :one", "size(#conns) = :k" + contained, userId, all);
            if (last.isPresent()) {
                outcomes.add(Outcome.of(transition(userId, last.get())));
                continue;
            }
            var some = new HashMap<>(values);
            some.put(":ids", AttributeValue.fromSs(group));
            if (update("DELETE #conns :ids", "size(#conns) > :k" + contained, userId, some)
                    .isPresent()) {
                outcomes.add(Outcome.CHANGED_NOTHING);
                continue;
            }
            group.forEach(id -> outcomes.add(leave(userId, id)));
        }
        return outcomes;
    }

    /** What is owed for the user: every version after the last announced one. One strongly consistent GetItem. */
    List<PresenceChange> owed(String userId) {
        var item = item(userId);
        return owed(userId, number(item, Items.ANNOUNCED), number(item, Items.VERSION));
    }

    /** Records that everything up to {@code version} is announced: one UpdateItem, never moving it back. */
    void announced(String userId, long version) {
        try {
            var result = dynamoDb.updateItem(b -> b.tableName(settings.table())
                    .key(items.presenceKey(userId))
                    .updateExpression("SET #announced = :version")
                    .conditionExpression("attribute_not_exists(#announced) OR #announced < :version")
                    .expressionAttributeNames(Map.of("#announced", Items.ANNOUNCED))
                    .expressionAttributeValues(Map.of(":version", Items.number(version)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(Operation.WRITE_PRESENCE, result.consumedCapacity());
        } catch (ConditionalCheckFailedException e) {
            // someone announced as far or further: nothing to record
        } catch (SdkException e) {
            throw new RegistryException(
                    "presence: recording version " + version + " of user " + userId + " announced", e);
        }
    }

    /** GetItem (strongly consistent): the user's live connection count, 0 when absent or expired. */
    int connectionCount(String userId) {
        var item = item(userId);
        if (!item.containsKey(Items.CONNECTIONS)
                || !Items.isLive(item, clock.instant().getEpochSecond())) {
            return 0;
        }
        return item.get(Items.CONNECTIONS).ss().size();
    }

    static List<PresenceChange> owed(String userId, long announced, long version) {
        var owed = new ArrayList<PresenceChange>();
        for (var v = announced + 1; v <= version; v++) {
            owed.add(new PresenceChange(
                    userId, v % 2 == 1 ? PresenceChange.Status.ONLINE : PresenceChange.Status.OFFLINE, v));
        }
        return owed;
    }

    private static Transition transition(String userId, Map<String, AttributeValue> item) {
        return new Transition(userId, number(item, Items.VERSION), number(item, Items.ANNOUNCED));
    }

    /** One conditional UpdateItem; the item after it when its condition held, else empty. */
    private Optional<Map<String, AttributeValue>> update(
            String expression, String condition, String userId, Map<String, AttributeValue> values) {
        var request = UpdateItemRequest.builder()
                .tableName(settings.table())
                .key(items.presenceKey(userId))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names(expression + " " + condition))
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
        try {
            var result = dynamoDb.updateItem(request);
            meter.write(Operation.WRITE_PRESENCE, result.consumedCapacity());
            return Optional.of(result.hasAttributes() ? result.attributes() : Map.of());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new RegistryException("presence of user " + userId + " (" + expression + ")", e);
        }
    }

    private boolean contains(String userId, String connectionId) {
        var item = item(userId);
        return item.containsKey(Items.CONNECTIONS)
                && item.get(Items.CONNECTIONS).ss().contains(connectionId);
    }

    private Map<String, AttributeValue> item(String userId) {
        try {
            var result = dynamoDb.getItem(b -> b.tableName(settings.table())
                    .key(items.presenceKey(userId))
                    .consistentRead(true)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.read(Operation.READ_PRESENCE, result.consumedCapacity());
            return result.hasItem() ? result.item() : Map.of();
        } catch (SdkException e) {
            throw new RegistryException("presence: reading the presence of user " + userId, e);
        }
    }

    private static Map<String, String> names(String expressions) {
        var names = new HashMap<String, String>();
        for (var entry : Map.of(
                        "#conns", Items.CONNECTIONS,
                        "#version", Items.VERSION,
                        "#ttl", Items.TTL,
                        "#announced", Items.ANNOUNCED)
                .entrySet()) {
            if (expressions.contains(entry.getKey())) {
                names.put(entry.getKey(), entry.getValue());
            }
        }
        return names;
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return item == null || !item.containsKey(name)
                ? 0
                : Long.parseLong(item.get(name).n());
    }
}
