package dev.switchboard.registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The registry's connections ({@link ConnectionRegistry#connections()}): each connection's record under its node,
 * its user's entry, and — as connections come and go — its user's presence ({@link PresenceLedger}). Each method
 * names its DynamoDB calls. Reads treat an item whose {@code ttl} has passed as absent. Thread-safe.
 */
public final class Connections {
    private final RegistrySettings settings;
    private final Clock clock;
    private final Items items;
    private final CapacityMeter meter;
    private final Batches batches;
    private final Queries queries;
    private final PresenceLedger presence;
    private final Announcements announcements;
    private final Leases leases;
    private final Topics topics;

    Connections(
            RegistrySettings settings,
            Clock clock,
            Items items,
            CapacityMeter meter,
            Batches batches,
            Queries queries,
            PresenceLedger presence,
            Announcements announcements,
            Leases leases,
            Topics topics) {
        this.settings = settings;
        this.clock = clock;
        this.items = items;
        this.meter = meter;
        this.batches = batches;
        this.queries = queries;
        this.presence = presence;
        this.announcements = announcements;
        this.leases = leases;
        this.topics = topics;
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

    private PresenceLedger.Outcome join(Connection connection) {
        meter.call(Operation.WRITE_REGISTER);
        var ttl = ttl();
        batches.writeGrouped( // with concurrent connects' items: one BatchWriteItem for many
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
        // Its topics' presence, before its subscriptions go: a crash between leaves them for the next try or sweep.
        userId.ifPresent(user -> all.stream()
                .filter(item -> item.containsKey(Items.PRESENCE))
                .filter(item -> item.get(Items.PK).s().startsWith(items.topicPrefix()))
                .forEach(item -> topics.leaveAndTell(
                        item.get(Items.PK).s().substring(items.topicPrefix().length()), user, connectionId)));
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
        for (var node : leases.records().stream().map(Leases.NodeRecord::node).toList()) {
            everyone.put(
                    node, queries.targets(Operation.READ_EVERYONE, queries.partitionQuery(items.nodeKey(node.id()))));
        }
        return everyone;
    }

    /**
     * Everyone held by the given nodes, for a broadcast where no node record lists them (the pseudo-nodes of
     * {@link ApiGatewayNodes}): one Query per node (every page), live items only.
     */
    public Map<String, List<Target>> everyoneOn(Collection<String> nodeIds) {
        meter.call(Operation.READ_EVERYONE);
        var everyone = new LinkedHashMap<String, List<Target>>();
        for (var nodeId : nodeIds) {
            everyone.put(
                    nodeId, queries.targets(Operation.READ_EVERYONE, queries.partitionQuery(items.nodeKey(nodeId))));
        }
        return everyone;
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
