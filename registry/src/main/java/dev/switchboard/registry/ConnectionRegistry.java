package dev.switchboard.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Who is connected, where, as whom, to which topics, and who is online, across every gateway node. Each method
 * names its DynamoDB calls; every call reports its consumed capacity to {@link #capacity()}. Reads treat an item
 * whose {@code ttl} has passed as absent, since DynamoDB deletes expired items late. Thread-safe.
 *
 * @see <a href="../../../../../../docs/registry.md">docs/registry.md</a> for the layout and the cost of each call
 */
public final class ConnectionRegistry {
    private final DynamoDbClient dynamoDb;
    private final RegistrySettings settings;
    private final Clock clock;
    private final Items items;
    private final CapacityMeter meter = new CapacityMeter();
    private final Batches batches;
    private final PresenceLedger presence;
    private final Leases leases;
    private final NodeSweeps sweeps;
    private final Queries queries;
    private final Announcements announcements;
    private final TopicEntries topics;

    public ConnectionRegistry(DynamoDbClient dynamoDb, RegistrySettings settings, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
        this.clock = clock;
        this.items = new Items(settings.prefix());
        this.batches = new Batches(dynamoDb, settings.table(), meter);
        this.queries = new Queries(dynamoDb, settings, items, meter, clock);
        this.topics = new TopicEntries(dynamoDb, settings, items, meter, batches, queries, clock);
        this.presence = new PresenceLedger(dynamoDb, settings, items, meter, clock);
        this.announcements = new Announcements(presence);
        this.leases = new Leases(dynamoDb, settings, items, meter, clock);
        this.sweeps = new NodeSweeps(leases, this, settings, clock);
    }

    public RegistrySettings settings() {
        return settings;
    }

    /** The capacity every operation consumed so far. */
    public CapacityMeter capacity() {
        return meter;
    }

    /**
     * Records a new connection: one BatchWriteItem (the connection's record under its node, and its user entry),
     * then the user's presence (one conditional UpdateItem, sometimes more when its connections race). Idempotent.
     * A change it makes is left owed (see {@link #register(Connection, Announcer)}).
     *
     * @return ONLINE when this is the user's first live connection anywhere
     */
    public Optional<PresenceChange> register(Connection connection) {
        return last(join(connection));
    }

    /**
     * Records a new connection as {@link #register(Connection)} does, then announces what the user's presence owes
     * (the ONLINE it made, and any earlier change nobody announced) and records it announced (one UpdateItem).
     *
     * @throws PresenceOwedException when the connection is recorded but the announcer failed: it stays owed
     */
    public void register(Connection connection, Announcer announcer) {
        announcements.settle(connection.userId(), join(connection), announcer);
    }

    /**
     * Removes every item of a connection: one Query on the index (all its items are under its sort key), the user's
     * presence (one conditional UpdateItem, sometimes more), then BatchWriteItem deletes (retrying unprocessed
     * items). Presence goes first, so a crash half-way leaves items a sweep will find again, never a ghost ONLINE.
     * Idempotent. A change it makes is left owed (see {@link #deregister(String, Announcer)}).
     *
     * @return OFFLINE when this was the user's last live connection anywhere
     */
    public Optional<PresenceChange> deregister(String connectionId) {
        var removed = new ArrayList<PresenceChange>();
        leave(connectionId, Optional.empty(), (user, outcome) -> outcome.transition()
                .ifPresent(t -> removed.addAll(t.owed())));
        return removed.isEmpty() ? Optional.empty() : Optional.of(removed.getLast());
    }

    /**
     * Removes a connection as {@link #deregister(String)} does, announcing what the user's presence owes before its
     * items are deleted: when the announcer fails, they stay, and a retry (or a sweep) does it all again.
     *
     * @throws PresenceOwedException when the announcer failed
     */
    public void deregister(String connectionId, Announcer announcer) {
        leave(connectionId, Optional.empty(), (user, outcome) -> announcements.settle(user, outcome, announcer));
    }

    /**
     * Removes a connection as {@link #deregister(String, Announcer)} does, knowing its user: its presence is left
     * even when its items are already gone (deleted by a drain's batch that overtook its registration, or expired).
     *
     * @throws PresenceOwedException when the announcer failed
     */
    public void deregister(Connection connection, Announcer announcer) {
        leave(
                connection.id(),
                Optional.of(connection.userId()),
                (user, outcome) -> announcements.settle(user, outcome, announcer));
    }

    /**
     * Announces whatever the user's presence owes — changes a node made and could not publish, or made and died
     * before publishing — in version order, and records them announced. One GetItem, and one UpdateItem if any was
     * owed.
     *
     * @throws PresenceOwedException when the announcer failed
     */
    public void announceOwed(String userId, Announcer announcer) {
        meter.call(Operation.WRITE_ANNOUNCE_OWED);
        announcements.announceOwed(userId, announcer);
    }

    private PresenceLedger.Outcome join(Connection connection) {
        meter.call(Operation.WRITE_REGISTER);
        var ttl = ttl();
        batches.write(
                Operation.WRITE_REGISTER,
                List.of(
                        Batches.put(items.connectionItem(connection, ttl)),
                        Batches.put(items.targetItem(items.userKey(connection.userId()), connection.target(), ttl))));
        return presence.join(connection.userId(), connection.id());
    }

    /** What to do with the user's presence once the connection left it, before its items are deleted. */
    interface Left {
        void then(String userId, PresenceLedger.Outcome outcome);
    }

    void leave(String connectionId, Optional<String> knownUser, Left left) {
        meter.call(Operation.WRITE_DEREGISTER);
        var all = new ArrayList<Map<String, AttributeValue>>();
        queries.query(
                Operation.WRITE_DEREGISTER, queries.indexQuery(connectionId).build(), all::add);
        var userId = all.stream()
                .filter(item -> item.containsKey(Items.USER))
                .map(item -> item.get(Items.USER).s())
                .findFirst()
                .or(() -> knownUser);
        userId.ifPresent(user -> left.then(user, presence.leave(user, connectionId)));
        batches.write(
                Operation.WRITE_DEREGISTER, all.stream().map(Batches::deleteOf).toList());
    }

    /**
     * Deregisters a connection of a dead node, announcing whatever its user's presence owes — also when this leave
     * changes nothing, since the dead node may have died owing (a change made and not published).
     */
    void sweepConnection(String connectionId, Announcer announcer) {
        leave(
                connectionId,
                Optional.empty(),
                (user, outcome) -> announcements.announce(
                        user,
                        outcome.transition()
                                .map(PresenceLedger.Transition::owed)
                                .orElseGet(() -> presence.owed(user)),
                        announcer));
    }

    private static Optional<PresenceChange> last(PresenceLedger.Outcome outcome) {
        return outcome.transition()
                .map(PresenceLedger.Transition::owed)
                .filter(owed -> !owed.isEmpty())
                .map(List::getLast);
    }

    /** Subscribes a connection to topics: BatchWriteItem puts, one item per topic. Idempotent. */
    public void subscribe(Connection connection, Collection<String> topics) {
        this.topics.subscribe(connection, topics);
    }

    /** Unsubscribes a connection from topics: BatchWriteItem deletes. Unknown topics are harmless. */
    public void unsubscribe(String connectionId, Collection<String> topics) {
        this.topics.unsubscribe(connectionId, topics);
    }

    /** Every subscriber of a topic: one Query on {@code topic#<t>}, every page. */
    public List<Target> subscribersOf(String topic) {
        return topics.subscribersOf(topic);
    }

    /** The nodes holding subscribers of a topic, with their counts: one Query on {@code topic#<t>}. */
    public List<TopicNode> nodesOf(String topic) {
        return topics.nodesOf(topic);
    }

    /** Records how many subscribers of a topic a node has: one PutItem, or a DeleteItem when none are left. */
    public void topicSubscribers(String topic, String nodeId, String endpoint, int subscribers) {
        topics.topicSubscribers(topic, nodeId, endpoint, subscribers);
    }

    /** Removes a node's per-topic entries: one Query on the index, then BatchWriteItem deletes. */
    public void forgetTopicsOf(String nodeId) {
        meter.call(Operation.WRITE_FORGET_TOPICS_OF);
        topics.forgetTopicsOf(nodeId);
    }

    /** Every live connection of a user: one Query on {@code user#<u>} (connection entries only), every page. */
    public List<Target> connectionsOf(String userId) {
        meter.call(Operation.READ_CONNECTIONS_OF);
        return queries.targets(
                Operation.READ_CONNECTIONS_OF, queries.beginsWith(items.userKey(userId), items.connectionPrefix()));
    }

    /** One connection's record: one Query on the index ({@code conn#<id>}, partition starting {@code node#}). */
    public Optional<Connection> connection(String connectionId) {
        meter.call(Operation.READ_CONNECTION);
        var found = new ArrayList<Connection>();
        var request = queries.indexQuery(connectionId)
                .keyConditionExpression("#sk = :sk AND begins_with(#pk, :node)")
                .expressionAttributeNames(Map.of("#sk", Items.SK, "#pk", Items.PK))
                .expressionAttributeValues(Map.of(
                        ":sk", AttributeValue.fromS(items.connectionKey(connectionId)),
                        ":node", AttributeValue.fromS(items.nodePrefix())))
                .build();
        var now = nowSeconds();
        queries.query(Operation.READ_CONNECTION, request, item -> {
            if (Items.isLive(item, now)) {
                found.add(items.connection(item));
            }
        });
        return found.stream().findFirst();
    }

    /** Every connection held by one node: one Query on {@code node#<n>}, every page (expired items included). */
    public List<Target> connectionsOfNode(String nodeId) {
        meter.call(Operation.READ_CONNECTIONS_OF_NODE);
        var targets = new ArrayList<Target>();
        queries.query(
                Operation.READ_CONNECTIONS_OF_NODE,
                queries.partitionQuery(items.nodeKey(nodeId)).build(),
                item -> targets.add(items.target(item)));
        return targets;
    }

    /**
     * Everyone, for a broadcast, grouped by node: one Query for the nodes on record (live or late: a late node's
     * connections are still there until a sweep removes them), then one Query per node (every page). Costs reads in
     * proportion to the connections, never a Scan (docs/registry.md).
     */
    public Map<Node, List<Target>> everyone() {
        meter.call(Operation.READ_EVERYONE);
        var everyone = new LinkedHashMap<Node, List<Target>>();
        for (var node : nodes()) {
            everyone.put(
                    node, queries.targets(Operation.READ_EVERYONE, queries.partitionQuery(items.nodeKey(node.id()))));
        }
        return everyone;
    }

    /** Counts the user's live connections: one strongly consistent GetItem on the presence item. */
    public int connectionCount(String userId) {
        meter.call(Operation.READ_PRESENCE);
        return presence.connectionCount(userId);
    }

    /**
     * Writes a node's record unconditionally, lease and all: one PutItem. For tests and stand-in nodes; a gateway
     * node takes its lease with {@link #claimNode} and renews it with {@link #renewLease}, which fence.
     */
    public Node heartbeat(String nodeId, String endpoint) {
        return leases.write(nodeId, endpoint);
    }

    /**
     * Takes the lease of a node that is starting: a record of its own, with a new epoch. A record left by an
     * earlier run under the same id (a node restarted with a fixed {@code NODE_ID}) is swept first, under a claim
     * like any dead node's (its presence changes announced), so no ghost of that run remains; while someone else
     * sweeps it, this waits.
     *
     * @throws RegistryException when a live node holds the id (two nodes cannot share one), or after {@code
     *     patience} of waiting
     */
    public Lease claimNode(String nodeId, String endpoint, Duration patience, Announcer announcer) {
        meter.call(Operation.WRITE_LEASE);
        return sweeps.claim(nodeId, endpoint, patience, announcer);
    }

    /**
     * Renews a lease: one conditional UpdateItem. Empty when the lease is lost — the record is gone, or belongs to
     * another run, or a survivor has taken its sweep — and the node must {@link #reclaimNode} it.
     */
    public Optional<Lease> renewLease(Lease lease, String endpoint) {
        meter.call(Operation.WRITE_HEARTBEAT);
        return leases.renew(lease, endpoint);
    }

    /**
     * Takes the lease again after it was lost, for a node that is alive and still holds its connections: waits
     * while a survivor sweeps it (its sweep ends with the record deleted, or goes stale), then writes a fresh record
     * with a new epoch. Sweeps nothing: the caller then registers its live connections again.
     *
     * @throws RegistryException after {@code patience} of waiting
     */
    public Lease reclaimNode(String nodeId, String endpoint, Duration patience) {
        meter.call(Operation.WRITE_LEASE);
        return sweeps.reclaim(nodeId, endpoint, patience);
    }

    /** Nodes whose lease runs: one Query on the nodes partition. */
    public List<Node> liveNodes() {
        meter.call(Operation.READ_NODES);
        return leases.nodes(true);
    }

    /** Every node on record, live or late (not yet swept): one Query on the nodes partition. */
    public List<Node> nodes() {
        meter.call(Operation.READ_NODES);
        return leases.records().stream().map(Leases.NodeRecord::node).toList();
    }

    /** Nodes whose lease ran out, whose connections are to be cleaned up: one Query on the nodes partition. */
    public List<Node> deadNodes() {
        meter.call(Operation.READ_NODES);
        return leases.nodes(false);
    }

    /**
     * As {@link #sweepDeadNodes(String, int, Announcer)}, for one anonymous sweeper deregistering one connection at a
     * time; returns the presence changes it announced.
     */
    public List<PresenceChange> sweepDeadNodes() {
        var announced = Collections.synchronizedList(new ArrayList<PresenceChange>());
        sweepDeadNodes(Leases.newEpoch(), 1, announced::add);
        return List.copyOf(announced);
    }

    /**
     * Cleans up after every node whose lease ran out. Each is first claimed, on condition that its lease is still
     * the one read and nobody else is sweeping it: a node that renewed in between is never swept, and any number of
     * survivors may sweep at once without doing it twice. Then its connections are deregistered (see {@link
     * #deregister}), {@code parallelism} at a time, its topic entries removed, and its record deleted. Calls: one
     * Query on the nodes partition; per dead node one UpdateItem (the claim), one Query for its connections, what
     * {@link #deregister} costs per connection, {@link #forgetTopicsOf}, and one DeleteItem.
     *
     * Every presence change owed for a user of a swept connection is announced, the sweep's own OFFLINEs and any
     * the dead node owed. A connection whose announcement fails stays, and the next sweep (this node's or another's,
     * once the claim goes stale) finishes it.
     *
     * @param sweeper who sweeps (a node id), written in the claim
     */
    public void sweepDeadNodes(String sweeper, int parallelism, Announcer announcer) {
        meter.call(Operation.WRITE_SWEEP);
        sweeps.sweepDead(sweeper, parallelism, announcer);
    }

    /** Forgets a node once its connections are cleaned up: one DeleteItem. */
    public void forgetNode(String nodeId) {
        meter.call(Operation.WRITE_FORGET_NODE);
        queries.write(Operation.WRITE_FORGET_NODE, () -> dynamoDb.deleteItem(b -> b.tableName(settings.table())
                        .key(items.nodeRecordKey(nodeId))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity());
    }

    /**
     * Deregisters a draining node's connections together, announcing what their users' presence owes: presence
     * first, {@code parallelism} users at a time, each user's connections in one conditional UpdateItem (per 50),
     * then the items of those that left in BatchWriteItems of 25 — no Query, since the node knows each connection's
     * items ({@code topics}: what each is subscribed to). About one UpdateItem per user and one BatchWriteItem per 25
     * items, where {@link #deregister} costs a Query, an UpdateItem and a BatchWriteItem per connection.
     *
     * @return the ids of connections that did not leave (their presence or its announcement failed), left as they
     *     were for a retry or a sweep
     */
    public List<String> deregisterAll(
            Map<Connection, ? extends Collection<String>> topics, Announcer announcer, int parallelism) {
        meter.call(Operation.WRITE_DEREGISTER_ALL);
        var departures = topics.entrySet().stream()
                .map(e -> new Departures.Departure(e.getKey(), e.getValue()))
                .toList();
        return new Departures(announcements, presence, items, batches).leave(departures, announcer, parallelism);
    }

    /**
     * Extends the TTL of live connections, for a node to call at about half the connection TTL (not per minute):
     * per connection one Query on the index and its items put again with a new TTL (BatchWriteItem).
     */
    public void refresh(Collection<String> connectionIds) {
        meter.call(Operation.WRITE_REFRESH);
        var ttl = Items.number(ttl());
        var puts = new ArrayList<WriteRequest>();
        for (var id : connectionIds) {
            queries.query(Operation.WRITE_REFRESH, queries.indexQuery(id).build(), item -> {
                var renewed = new HashMap<>(item);
                renewed.put(Items.TTL, ttl);
                puts.add(Batches.put(renewed));
            });
        }
        batches.write(Operation.WRITE_REFRESH, puts);
    }

    private long ttl() {
        return nowSeconds() + settings.connectionTtl().toSeconds();
    }

    private long nowSeconds() {
        return clock.instant().getEpochSecond();
    }
}
