package dev.switchboard.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The registry's gateway nodes ({@link ConnectionRegistry#nodes()}): their records and leases, and the sweep that
 * cleans up after dead ones (docs/registry.md, "Nodes" and "Fencing"). Each method names its DynamoDB calls.
 * Thread-safe.
 */
public final class Nodes {
    /**
     * How long a node waits, once its record is written, before it takes connections. So a list of the nodes on
     * record read at most this long before a request arrived names every node that can hold a connection of the
     * request's targets — a client connects before its backend sends to it — and a pusher reads the list at most
     * once per grace, not once per request (docs/delivery.md, "Which nodes"). The list is read strongly consistent.
     */
    public static final Duration JOIN_GRACE = Duration.ofMillis(500);

    private final DynamoDbClient dynamoDb;
    private final RegistrySettings settings;
    private final Items items;
    private final CapacityMeter meter;
    private final Queries queries;
    private final Leases leases;
    private final NodeSweeps sweeps;

    Nodes(
            DynamoDbClient dynamoDb,
            RegistrySettings settings,
            Items items,
            CapacityMeter meter,
            Queries queries,
            Leases leases,
            NodeSweeps sweeps) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
        this.items = items;
        this.meter = meter;
        this.queries = queries;
        this.leases = leases;
        this.sweeps = sweeps;
    }

    /**
     * Writes a node's record unconditionally, lease and all: one PutItem. For tests and stand-in nodes; a gateway
     * node takes its lease with {@link #claim} and renews it with {@link #renew}, which fence.
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
    public Lease claim(String nodeId, String endpoint, Duration patience, Announcer announcer) {
        meter.call(Operation.WRITE_LEASE);
        return sweeps.claim(nodeId, endpoint, patience, announcer);
    }

    /**
     * Renews a lease: one conditional UpdateItem. Empty when the lease is lost — the record is gone, or belongs to
     * another run, or a survivor has taken its sweep — and the node must {@link #reclaim} it.
     */
    public Optional<Lease> renew(Lease lease, String endpoint) {
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
    public Lease reclaim(String nodeId, String endpoint, Duration patience) {
        meter.call(Operation.WRITE_LEASE);
        return sweeps.reclaim(nodeId, endpoint, patience);
    }

    /** Nodes whose lease runs: one Query on the nodes partition. */
    public List<Node> live() {
        meter.call(Operation.READ_NODES);
        return leases.nodes(true);
    }

    /** Every node on record, live or late (not yet swept): one Query on the nodes partition. */
    public List<Node> all() {
        meter.call(Operation.READ_NODES);
        return leases.records().stream().map(Leases.NodeRecord::node).toList();
    }

    /** Nodes whose lease ran out, whose connections are to be cleaned up: one Query on the nodes partition. */
    public List<Node> dead() {
        meter.call(Operation.READ_NODES);
        return leases.nodes(false);
    }

    /**
     * As {@link #sweepDead(String, int, Announcer)}, for one anonymous sweeper deregistering one connection at a
     * time; returns the presence changes it announced.
     */
    public List<PresenceChange> sweepDead() {
        var announced = Collections.synchronizedList(new ArrayList<PresenceChange>());
        sweepDead(Leases.newEpoch(), 1, announced::add);
        return List.copyOf(announced);
    }

    /**
     * Cleans up after every node whose lease ran out. Each is first claimed, on condition that its lease is still
     * the one read and nobody else is sweeping it: a node that renewed in between is never swept, and any number of
     * survivors may sweep at once without doing it twice. Then its connections are deregistered (see {@link
     * Connections#deregister}), {@code parallelism} at a time, its topic entries removed, and its record deleted.
     * Calls: one Query on the nodes partition; per dead node one UpdateItem (the claim), one Query for its
     * connections, what {@link Connections#deregister} costs per connection, {@link Topics#forgetTopicsOf}, and one
     * DeleteItem.
     *
     * <p>Every presence change owed for a user of a swept connection is announced, the sweep's own OFFLINEs and any
     * the dead node owed. A connection whose announcement fails stays, and the next sweep (this node's or another's,
     * once the claim goes stale) finishes it.
     *
     * @param sweeper who sweeps (a node id), written in the claim
     */
    public void sweepDead(String sweeper, int parallelism, Announcer announcer) {
        meter.call(Operation.WRITE_SWEEP);
        sweeps.sweepDead(sweeper, parallelism, announcer);
    }

    /** Forgets a node once its connections are cleaned up: one DeleteItem. */
    public void forget(String nodeId) {
        meter.call(Operation.WRITE_FORGET_NODE);
        queries.write(Operation.WRITE_FORGET_NODE, () -> dynamoDb.deleteItem(b -> b.tableName(settings.table())
                        .key(items.nodeRecordKey(nodeId))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity());
    }
}
