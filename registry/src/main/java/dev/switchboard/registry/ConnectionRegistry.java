package dev.switchboard.registry;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Who is connected, where, as whom, to which topics, and who is online, across every gateway node — kept in one
 * DynamoDB table and read in four parts, by what they keep: {@link #connections()}, {@link #topics()}, {@link
 * #nodes()} and {@link #presence()}. Every call of each reports its consumed capacity to {@link #capacity()}, under
 * its {@link Operation}. Reads treat an item whose {@code ttl} has passed as absent, since DynamoDB deletes expired
 * items late. Thread-safe.
 *
 * @see <a href="../../../../../../docs/registry.md">docs/registry.md</a> for the layout and the cost of each call
 */
public final class ConnectionRegistry {
    private final RegistrySettings settings;
    private final CapacityMeter meter = new CapacityMeter();
    private final Connections connections;
    private final Topics topics;
    private final Nodes nodes;
    private final Presence presence;
    private final History history;

    public ConnectionRegistry(DynamoDbClient dynamoDb, RegistrySettings settings, Clock clock) {
        this.settings = settings;
        var items = new Items(settings.prefix());
        var batches = new Batches(dynamoDb, settings.table(), meter);
        var queries = new Queries(dynamoDb, settings, items, meter, clock);
        var ledger = new PresenceLedger(dynamoDb, settings, items, meter, clock);
        var announcements = new Announcements(ledger);
        var leases = new Leases(dynamoDb, settings, items, meter, clock);
        this.topics = new Topics(dynamoDb, settings, items, meter, batches, queries, clock);
        this.connections =
                new Connections(settings, clock, items, meter, batches, queries, ledger, announcements, leases, topics);
        this.nodes = new Nodes(
                dynamoDb,
                settings,
                items,
                meter,
                queries,
                leases,
                new NodeSweeps(leases, connections, topics, settings, clock));
        this.presence = new Presence(ledger, announcements, meter);
        this.history = new History(dynamoDb, settings, items, meter, queries, clock);
    }

    public RegistrySettings settings() {
        return settings;
    }

    /** The capacity every operation consumed so far. */
    public CapacityMeter capacity() {
        return meter;
    }

    /** Connections: register, deregister, look up, refresh. */
    public Connections connections() {
        return connections;
    }

    /** Topics: subscriptions and the nodes holding subscribers. */
    public Topics topics() {
        return topics;
    }

    /** Gateway nodes: records, leases, sweeps. */
    public Nodes nodes() {
        return nodes;
    }

    /** Topic history: messages kept per topic under offsets, and what a reconnecting client missed. */
    public History history() {
        return history;
    }

    /** Presence: who is online, what is owed to the backends. */
    public Presence presence() {
        return presence;
    }
}
