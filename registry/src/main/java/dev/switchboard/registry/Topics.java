package dev.switchboard.registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
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
    private volatile MemberLeft memberLeft = (topic, userId) -> {};

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
        subscribe(connection, topics, Set.of());
    }

    /**
     * Subscribes as {@link #subscribe(Connection, Collection)} does; the subscriptions to {@code members} say the
     * connection is a member of their presence, so that whoever removes the connection — its node, or a sweep when
     * the node died — also removes it from the topic's members ({@link #leave}).
     */
    public void subscribe(Connection connection, Collection<String> topics, Set<String> members) {
        meter.call(Operation.WRITE_SUBSCRIBE);
        var ttl = ttl();
        batches.writeGrouped( // with concurrent subscribes' items: one BatchWriteItem for many
                Operation.WRITE_SUBSCRIBE,
                topics.stream()
                        .distinct()
                        .map(topic -> {
                            var item = items.targetItem(items.topicKey(topic), connection.target(), ttl);
                            if (members.contains(topic)) {
                                item.put(Items.PRESENCE, AttributeValue.fromBool(true));
                            }
                            return Batches.put(item);
                        })
                        .toList());
    }

    /** Told when a user leaves a topic's presence in a removal the registry made (a deregistration, a sweep). */
    public interface MemberLeft {
        void left(String topic, String userId);
    }

    /** A user's presence in a topic: how many of its connections are members. */
    public record Member(String userId, int connections) {}

    /** One page of a topic's members, in user order, and the user to start the next page after (none: the last). */
    public record Members(List<Member> members, Optional<String> next) {}

    /** Whom to tell of the leaves the registry makes; set once by the node. */
    public void onMemberLeft(MemberLeft listener) {
        this.memberLeft = listener;
    }

    /**
     * A connection joins a topic's presence: one UpdateItem of {@code topic#<t>}/{@code member#<u>} adding the
     * connection to its set (a second when the set had outlived its {@code ttl}: replaced). Like the user presence,
     * DynamoDB applies these in order, so exactly one of a user's racing joins is the first.
     *
     * @return whether the user joined: this is its first connection among the members
     */
    public boolean join(String topic, String userId, String connectionId) {
        meter.call(Operation.WRITE_JOIN);
        var key = items.memberKey(topic, userId);
        var before = new AtomicReference<Map<String, AttributeValue>>(Map.of());
        queries.write(Operation.WRITE_JOIN, () -> {
            var response = dynamoDb.updateItem(b -> b.tableName(settings.table())
                    .key(key)
                    .updateExpression("ADD #conns :id SET #ttl = :ttl")
                    .expressionAttributeNames(Map.of("#conns", Items.CONNECTIONS, "#ttl", Items.TTL))
                    .expressionAttributeValues(
                            Map.of(":id", AttributeValue.fromSs(List.of(connectionId)), ":ttl", Items.number(ttl())))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            before.set(response.attributes());
            return response.consumedCapacity();
        });
        var old = before.get();
        if (!old.containsKey(Items.CONNECTIONS)) {
            return true;
        }
        if (!Items.isLive(old, nowSeconds())) { // a set its node left behind, dead and unswept: this one is all
            queries.write(Operation.WRITE_JOIN, () -> dynamoDb.updateItem(b -> b.tableName(settings.table())
                            .key(key)
                            .updateExpression("SET #conns = :id")
                            .expressionAttributeNames(Map.of("#conns", Items.CONNECTIONS))
                            .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(connectionId))))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                    .consumedCapacity());
            return true;
        }
        return false;
    }

    /**
     * A connection leaves a topic's presence: one conditional UpdateItem removing it from the set (nothing when it
     * is not there), and when it was the last, a DeleteItem of the emptied item.
     *
     * @return whether the user left: this was its last connection among the members
     */
    public boolean leave(String topic, String userId, String connectionId) {
        meter.call(Operation.WRITE_LEAVE);
        var key = items.memberKey(topic, userId);
        var before = new AtomicReference<Map<String, AttributeValue>>(Map.of());
        try {
            queries.write(Operation.WRITE_LEAVE, () -> {
                var response = dynamoDb.updateItem(b -> b.tableName(settings.table())
                        .key(key)
                        .updateExpression("DELETE #conns :ids")
                        .conditionExpression("contains(#conns, :id)")
                        .expressionAttributeNames(Map.of("#conns", Items.CONNECTIONS))
                        .expressionAttributeValues(Map.of(
                                ":ids", AttributeValue.fromSs(List.of(connectionId)),
                                ":id", AttributeValue.fromS(connectionId)))
                        .returnValues(ReturnValue.ALL_OLD)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                before.set(response.attributes());
                return response.consumedCapacity();
            });
        } catch (RegistryException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false; // not a member (left already): a repeat changes nothing
            }
            throw e;
        }
        var old = before.get().get(Items.CONNECTIONS);
        if (old == null || old.ss().size() != 1) {
            return false;
        }
        try {
            queries.write(Operation.WRITE_LEAVE, () -> dynamoDb.deleteItem(b -> b.tableName(settings.table())
                            .key(key)
                            .conditionExpression("attribute_not_exists(#conns)")
                            .expressionAttributeNames(Map.of("#conns", Items.CONNECTIONS))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                    .consumedCapacity());
        } catch (RegistryException e) {
            if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                throw e;
            } // someone joined meanwhile: the item is theirs
        }
        return true;
    }

    /** Leaves as {@link #leave} does, telling the node's listener when the user left. */
    void leaveAndTell(String topic, String userId, String connectionId) {
        if (leave(topic, userId, connectionId)) {
            memberLeft.left(topic, userId);
        }
    }

    /**
     * One page of a topic's presence: one Query on {@code topic#<t>} for its {@code member#} items, at most {@code
     * limit}, after the user {@code after} (the previous page's {@code next}). Eventually consistent.
     */
    public Members members(String topic, Optional<String> after, int limit) {
        meter.call(Operation.READ_MEMBERS);
        var request = queries.beginsWith(items.topicKey(topic), items.memberPrefix())
                .limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        after.ifPresent(user -> request.exclusiveStartKey(items.memberKey(topic, user)));
        var found = new ArrayList<Member>();
        var next = new AtomicReference<Optional<String>>(Optional.empty());
        var now = nowSeconds();
        queries.call(Operation.READ_MEMBERS, () -> {
            var page = dynamoDb.query(request.build());
            meter.read(Operation.READ_MEMBERS, page.consumedCapacity());
            for (var item : page.items()) {
                var conns = item.get(Items.CONNECTIONS);
                if (conns != null && Items.isLive(item, now)) {
                    found.add(new Member(
                            item.get(Items.SK)
                                    .s()
                                    .substring(items.memberPrefix().length()),
                            conns.ss().size()));
                }
            }
            if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
                next.set(Optional.of(page.lastEvaluatedKey()
                        .get(Items.SK)
                        .s()
                        .substring(items.memberPrefix().length())));
            }
        });
        return new Members(found, next.get());
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
        return nodesOf(topic, false);
    }

    /**
     * As {@link #nodesOf(String)}; {@code consistent}: a strongly consistent Query, which sees every entry written
     * before it — what a publish to a topic with history needs after storing its message, so that a node whose
     * client is recovering either finds the message in the history or gets it live.
     */
    public List<TopicNode> nodesOf(String topic, boolean consistent) {
        meter.call(Operation.READ_NODES_OF);
        var nodes = new ArrayList<TopicNode>();
        var now = clock.instant().getEpochSecond();
        queries.query(
                Operation.READ_NODES_OF,
                queries.beginsWith(items.topicKey(topic), items.nodePrefix())
                        .consistentRead(consistent)
                        .build(),
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
        return nowSeconds() + settings.connectionTtl().toSeconds();
    }

    private long nowSeconds() {
        return clock.instant().getEpochSecond();
    }
}
