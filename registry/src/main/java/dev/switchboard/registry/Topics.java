package dev.switchboard.registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The registry's topics ({@link ConnectionRegistry#topics()}): one {@code conn#<id>} entry per subscriber and one
 * {@code node#<n>} entry per node holding subscribers (its endpoint and count), all under {@code topic#<t>}. Each
 * method names its DynamoDB calls. Thread-safe.
 */
public final class Topics {
    private final DynamoDbClient dynamoDb;
    private final RegistrySettings settings;
    private final Items items;
    private final CapacityMeter meter;
    private final Batches batches;
    private final Queries queries;
    private final Clock clock;

    Topics(
            DynamoDbClient dynamoDb,
            RegistrySettings settings,
            Items items,
            CapacityMeter meter,
            Batches batches,
            Queries queries,
            Clock clock) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
        this.items = items;
        this.meter = meter;
        this.batches = batches;
        this.queries = queries;
        this.clock = clock;
    }

    /** Subscribes a connection to topics: BatchWriteItem puts, one item per topic. Idempotent. */
    public void subscribe(Connection connection, Collection<String> topics) {
        meter.call(Operation.WRITE_SUBSCRIBE);
        var ttl = ttl();
        batches.write(
                Operation.WRITE_SUBSCRIBE,
                topics.stream()
                        .distinct()
                        .map(topic -> Batches.put(items.targetItem(items.topicKey(topic), connection.target(), ttl)))
                        .toList());
    }

    /** Unsubscribes a connection from topics: BatchWriteItem deletes. Unknown topics are harmless. */
    public void unsubscribe(String connectionId, Collection<String> topics) {
        meter.call(Operation.WRITE_UNSUBSCRIBE);
        batches.write(
                Operation.WRITE_UNSUBSCRIBE,
                topics.stream()
                        .distinct()
                        .map(topic -> Batches.delete(items.topicKey(topic), items.connectionKey(connectionId)))
                        .toList());
    }

    /** Every subscriber of a topic: one Query on {@code topic#<t>}, every page. */
    public List<Target> subscribersOf(String topic) {
        meter.call(Operation.READ_SUBSCRIBERS_OF);
        return queries.targets(
                Operation.READ_SUBSCRIBERS_OF, queries.beginsWith(items.topicKey(topic), items.connectionPrefix()));
    }

    /**
     * The nodes holding subscribers of a topic, with their counts: one Query on {@code topic#<t>} for the
     * {@code node#} entries. Each node writes its own entry when its count of subscribers changes, so this changes
     * only when a node gains its first, or loses its last, subscriber of the topic, or its count moves.
     */
    public List<TopicNode> nodesOf(String topic) {
        meter.call(Operation.READ_NODES_OF);
        var nodes = new ArrayList<TopicNode>();
        var now = clock.instant().getEpochSecond();
        queries.query(
                Operation.READ_NODES_OF,
                queries.beginsWith(items.topicKey(topic), items.nodePrefix()).build(),
                item -> {
                    if (Items.isLive(item, now)) {
                        nodes.add(new TopicNode(
                                item.get(Items.SK)
                                        .s()
                                        .substring(items.nodePrefix().length()),
                                item.get(Items.ENDPOINT).s(),
                                Integer.parseInt(item.get(Items.COUNT).n())));
                    }
                });
        return nodes;
    }

    /**
     * Records how many subscribers of a topic a node has: one PutItem of {@code topic#<t>}/{@code node#<n>}, or a
     * DeleteItem when there are none left.
     */
    public void topicSubscribers(String topic, String nodeId, String endpoint, int subscribers) {
        meter.call(Operation.WRITE_TOPIC_SUBSCRIBERS);
        var key = Items.key(items.topicKey(topic), items.nodeKey(nodeId));
        if (subscribers <= 0) {
            queries.write(Operation.WRITE_TOPIC_SUBSCRIBERS, () -> dynamoDb.deleteItem(b ->
                            b.tableName(settings.table()).key(key).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                    .consumedCapacity());
            return;
        }
        var item = new HashMap<>(key);
        item.put(Items.ENDPOINT, AttributeValue.fromS(endpoint));
        item.put(Items.COUNT, Items.number(subscribers));
        item.put(Items.TTL, Items.number(ttl()));
        queries.write(Operation.WRITE_TOPIC_SUBSCRIBERS, () -> dynamoDb.putItem(b ->
                        b.tableName(settings.table()).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity());
    }

    /**
     * Removes a node's per-topic entries: one Query on the index ({@code node#<n>}, partitions starting
     * {@code topic#}), then BatchWriteItem deletes.
     */
    public void forgetTopicsOf(String nodeId) {
        meter.call(Operation.WRITE_FORGET_TOPICS_OF);
        var keys = new ArrayList<WriteRequest>();
        var request = QueryRequest.builder()
                .tableName(settings.table())
                .indexName(settings.index())
                .limit(settings.pageSize())
                .keyConditionExpression("#sk = :sk AND begins_with(#pk, :topic)")
                .expressionAttributeNames(Map.of("#sk", Items.SK, "#pk", Items.PK))
                .expressionAttributeValues(Map.of(
                        ":sk", AttributeValue.fromS(items.nodeKey(nodeId)),
                        ":topic", AttributeValue.fromS(items.topicKey(""))))
                .build();
        queries.query(Operation.WRITE_FORGET_TOPICS_OF, request, item -> keys.add(Batches.deleteOf(item)));
        batches.write(Operation.WRITE_FORGET_TOPICS_OF, keys);
    }

    private long ttl() {
        return clock.instant().getEpochSecond() + settings.connectionTtl().toSeconds();
    }
}
