package dev.switchboard.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Node records and their leases, with fencing. A node's record ({@code nodes} / {@code node#<id>}) holds its
 * endpoint, its lease (epoch ms), the epoch of the node's current run, and — while a survivor sweeps it — that
 * sweeper and when it took the sweep. Every change is conditional on what was read: a renewal on the node's own
 * epoch and no sweeper; a sweep on the very lease it found run out, so a node that renewed in between is never
 * swept, and a node that was swept (or whose record vanished) learns it at its next renewal.
 */
final class Leases {
    /** What a node's record says. */
    record NodeRecord(
            String id,
            String endpoint,
            Instant lease,
            Optional<String> epoch,
            Optional<String> sweeper,
            Optional<Instant> sweptAt) {
        boolean aliveAt(Instant now) {
            return lease.isAfter(now);
        }

        Node node() {
            return new Node(id, endpoint, lease);
        }
    }

    private final DynamoDbClient dynamoDb;
    private final RegistrySettings settings;
    private final Items items;
    private final CapacityMeter meter;
    private final Clock clock;

    Leases(DynamoDbClient dynamoDb, RegistrySettings settings, Items items, CapacityMeter meter, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
        this.items = items;
        this.meter = meter;
        this.clock = clock;
    }

    static String newEpoch() {
        return UUID.randomUUID().toString();
    }

    /** The nodes whose lease runs ({@code alive}) or ran out: one Query on the nodes partition. */
    List<Node> nodes(boolean alive) {
        var now = clock.instant();
        return records().stream()
                .filter(n -> n.aliveAt(now) == alive)
                .map(NodeRecord::node)
                .toList();
    }

    /**
     * Every node record: one strongly consistent Query on the nodes partition (a node just written is in it: see
     * {@link Nodes#JOIN_GRACE}).
     */
    List<NodeRecord> records() {
        var records = new ArrayList<NodeRecord>();
        var request = QueryRequest.builder()
                .tableName(settings.table())
                .consistentRead(true)
                .limit(settings.pageSize())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", Items.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(items.nodesPartition())))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
        call(Operation.READ_NODES, () -> dynamoDb.queryPaginator(request).forEach(page -> {
            meter.read(Operation.READ_NODES, page.consumedCapacity());
            page.items().forEach(item -> records.add(record(item)));
        }));
        return records;
    }

    /** One node's record, read strongly consistent: one GetItem. */
    Optional<NodeRecord> record(String nodeId) {
        var result = call(
                Operation.READ_NODE,
                () -> dynamoDb.getItem(b -> b.tableName(settings.table())
                        .key(items.nodeRecordKey(nodeId))
                        .consistentRead(true)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        meter.read(Operation.READ_NODE, result.consumedCapacity());
        return result.hasItem() && !result.item().isEmpty() ? Optional.of(record(result.item())) : Optional.empty();
    }

    /**
     * Writes a fresh record for a run of the node ({@code epoch}), if {@code expected} still describes what is
     * there: absent, or the record it read (its epoch, sweeper and claim time unchanged). One conditional PutItem.
     */
    Optional<Lease> create(String nodeId, String endpoint, String epoch, Optional<NodeRecord> expected) {
        var lease = clock.instant().plus(settings.nodeLease());
        var item = Items.key(items.nodesPartition(), items.nodeKey(nodeId));
        item.put(Items.ENDPOINT, AttributeValue.fromS(endpoint));
        item.put(Items.LEASE, Items.number(lease.toEpochMilli()));
        item.put(Items.EPOCH, AttributeValue.fromS(epoch));
        item.put(Items.TTL, Items.number(lease.plus(settings.connectionTtl()).getEpochSecond()));
        var names = new HashMap<String, String>();
        var values = new HashMap<String, AttributeValue>();
        String condition;
        if (expected.isEmpty()) {
            names.put("#pk", Items.PK);
            condition = "attribute_not_exists(#pk)";
        } else {
            names.put("#lease", Items.LEASE);
            values.put(":lease", Items.number(expected.get().lease().toEpochMilli()));
            condition = "#lease = :lease";
            condition += same(Items.EPOCH, "epoch", expected.get().epoch(), names, values);
            condition += same(Items.SWEEPER, "sweeper", expected.get().sweeper(), names, values);
        }
        var finalCondition = condition;
        try {
            var result = call(
                    Operation.WRITE_LEASE,
                    () -> dynamoDb.putItem(b -> b.tableName(settings.table())
                            .item(item)
                            .conditionExpression(finalCondition)
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values.isEmpty() ? null : values)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
            meter.write(Operation.WRITE_LEASE, result.consumedCapacity());
            return Optional.of(new Lease(nodeId, epoch, lease));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Renews the lease: one UpdateItem, on condition that the record is still this run's and nobody is sweeping
     * it. Empty when it is not: the lease is lost.
     */
    Optional<Lease> renew(Lease held, String endpoint) {
        var lease = clock.instant().plus(settings.nodeLease());
        try {
            var result = call(
                    Operation.WRITE_LEASE,
                    () -> dynamoDb.updateItem(b -> b.tableName(settings.table())
                            .key(items.nodeRecordKey(held.nodeId()))
                            .updateExpression("SET #lease = :lease, #endpoint = :endpoint, #ttl = :ttl")
                            .conditionExpression("#epoch = :epoch AND attribute_not_exists(#sweeper)")
                            .expressionAttributeNames(Map.of(
                                    "#lease", Items.LEASE,
                                    "#endpoint", Items.ENDPOINT,
                                    "#ttl", Items.TTL,
                                    "#epoch", Items.EPOCH,
                                    "#sweeper", Items.SWEEPER))
                            .expressionAttributeValues(Map.of(
                                    ":lease", Items.number(lease.toEpochMilli()),
                                    ":endpoint", AttributeValue.fromS(endpoint),
                                    ":ttl",
                                            Items.number(lease.plus(settings.connectionTtl())
                                                    .getEpochSecond()),
                                    ":epoch", AttributeValue.fromS(held.epoch())))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
            meter.write(Operation.WRITE_LEASE, result.consumedCapacity());
            return Optional.of(new Lease(held.nodeId(), held.epoch(), lease));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Takes the sweep of a node whose lease ran out: one UpdateItem, on condition that its lease is still the one
     * {@code found} (it did not renew since) and that nobody else holds the sweep, or that the one who did let it go
     * stale (it died). Whether this sweeper now holds it.
     */
    boolean claimSweep(NodeRecord found, String sweeper) {
        var now = clock.instant();
        var names = new HashMap<String, String>(
                Map.of("#lease", Items.LEASE, "#sweeper", Items.SWEEPER, "#sweptAt", Items.SWEPT_AT));
        var values = new HashMap<String, AttributeValue>(Map.of(
                ":lease", Items.number(found.lease().toEpochMilli()),
                ":now", Items.number(now.toEpochMilli()),
                ":me", AttributeValue.fromS(sweeper),
                ":stale", Items.number(now.minus(settings.nodeLease()).toEpochMilli())));
        var condition = "#lease = :lease AND #lease < :now AND (attribute_not_exists(#sweeper) OR #sweptAt < :stale)";
        try {
            var result = call(
                    Operation.WRITE_SWEEP,
                    () -> dynamoDb.updateItem(b -> b.tableName(settings.table())
                            .key(items.nodeRecordKey(found.id()))
                            .updateExpression("SET #sweeper = :me, #sweptAt = :now")
                            .conditionExpression(condition)
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
            meter.write(Operation.WRITE_SWEEP, result.consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Whether a sweep of this record is under way: taken, and not so long ago that its sweeper must have died. */
    boolean sweepInProgress(NodeRecord record) {
        return record.sweeper().isPresent()
                && record.sweptAt()
                        .map(at -> at.plus(settings.nodeLease()).isAfter(clock.instant()))
                        .orElse(false);
    }

    /** Removes a swept node's record, if this sweeper still holds the sweep: one conditional DeleteItem. */
    void release(String nodeId, String sweeper) {
        try {
            call(
                    Operation.WRITE_FORGET_NODE,
                    () -> dynamoDb.deleteItem(b -> b.tableName(settings.table())
                            .key(items.nodeRecordKey(nodeId))
                            .conditionExpression("#sweeper = :me")
                            .expressionAttributeNames(Map.of("#sweeper", Items.SWEEPER))
                            .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(sweeper)))));
        } catch (ConditionalCheckFailedException e) {
            // another sweeper took it over (ours went stale), or the node came back: theirs now
        }
    }

    private static String same(
            String attribute,
            String name,
            Optional<String> value,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        names.put("#" + name, attribute);
        if (value.isEmpty()) {
            return " AND attribute_not_exists(#" + name + ")";
        }
        values.put(":" + name, AttributeValue.fromS(value.get()));
        return " AND #" + name + " = :" + name;
    }

    /** Writes a node's record unconditionally, lease and all (tests, stand-in nodes): one PutItem. */
    Node write(String nodeId, String endpoint) {
        meter.call(Operation.WRITE_HEARTBEAT);
        var lease = clock.instant().plus(settings.nodeLease());
        var item = Items.key(items.nodesPartition(), items.nodeKey(nodeId));
        item.put(Items.ENDPOINT, AttributeValue.fromS(endpoint));
        item.put(Items.LEASE, Items.number(lease.toEpochMilli()));
        item.put(Items.EPOCH, AttributeValue.fromS(newEpoch()));
        item.put(Items.TTL, Items.number(lease.plus(settings.connectionTtl()).getEpochSecond()));
        call(
                Operation.WRITE_HEARTBEAT,
                () -> meter.write(
                        Operation.WRITE_HEARTBEAT,
                        dynamoDb.putItem(b -> b.tableName(settings.table())
                                        .item(item)
                                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                                .consumedCapacity()));
        return new Node(nodeId, endpoint, lease);
    }

    private NodeRecord record(Map<String, AttributeValue> item) {
        return new NodeRecord(
                item.get(Items.SK).s().substring(items.nodePrefix().length()),
                item.get(Items.ENDPOINT).s(),
                Instant.ofEpochMilli(Long.parseLong(item.get(Items.LEASE).n())),
                Optional.ofNullable(item.get(Items.EPOCH)).map(AttributeValue::s),
                Optional.ofNullable(item.get(Items.SWEEPER)).map(AttributeValue::s),
                Optional.ofNullable(item.get(Items.SWEPT_AT)).map(v -> Instant.ofEpochMilli(Long.parseLong(v.n()))));
    }

    private <T> T call(Operation operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new RegistryException(operation + " on table " + settings.table(), e);
        }
    }

    private void call(Operation operation, Runnable call) {
        call(operation, () -> {
            call.run();
            return null;
        });
    }
}
