package dev.switchboard.app;

import dev.switchboard.registry.Announcer;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.Lease;
import dev.switchboard.registry.Nodes;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's lease in the registry, renewed every {@code NODE_HEARTBEAT} on a thread of its own that does nothing
 * else: no client, sweep or refresh can delay it past {@code NODE_LEASE}, so other nodes never take a live node for
 * dead. Each renewal is one conditional DynamoDB write. A renewal that finds the lease lost — a survivor swept this
 * node while it was paused, or its record vanished — takes it back (after any sweep under way ends) and registers
 * every live connection again, on another thread, while the node keeps serving.
 */
final class NodeLease implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeLease.class.getName());

    private final ConnectionRegistry registry;
    private final String nodeId;
    private final String endpoint;
    private final Duration patience;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("node-lease").daemon().factory());
    private final AtomicBoolean recovering = new AtomicBoolean();
    private volatile Lease lease;
    private volatile long claimedAt;
    private volatile Runnable onRecovered = () -> {};

    /** @param patience how long to wait for a sweep of this node (its id) by someone else to end: a few leases */
    NodeLease(ConnectionRegistry registry, String nodeId, String endpoint, Duration patience) {
        this.registry = registry;
        this.nodeId = nodeId;
        this.endpoint = endpoint;
        this.patience = patience;
    }

    /**
     * Takes the lease now (the caller waits: a node serves nobody before it holds one; what an earlier run of the same
     * id left is swept first, its presence announced), then renews it every {@code every}.
     */
    void start(Duration every, Announcer announcer) {
        lease = registry.nodes().claim(nodeId, endpoint, patience, announcer);
        claimedAt = System.nanoTime();
        var unused =
                thread.scheduleWithFixedDelay(this::renew, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits out the rest of {@link Nodes#JOIN_GRACE} since the lease was taken: only then may the node take
     * connections, so that a pusher's list of nodes, reused for that long, cannot miss a connection of this node.
     */
    void awaitJoinGrace() throws InterruptedException {
        var left = claimedAt + Nodes.JOIN_GRACE.toNanos() - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left)); // the contract with the pushers, not a synchronization
        }
    }

    /** What to do once a lost lease is taken back: register the node's connections again. */
    void onRecovered(Runnable action) {
        this.onRecovered = action;
    }

    private void renew() {
        if (recovering.get()) {
            return;
        }
        try {
            var renewed = registry.nodes().renew(lease, endpoint);
            if (renewed.isPresent()) {
                lease = renewed.get();
                return;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "lease not renewed nodeId={0}: {1}", nodeId, e.getMessage());
            return;
        }
        recovering.set(true);
        LOG.log(Level.WARNING, "lease lost nodeId={0}: taking it back and registering its connections again", nodeId);
        Thread.ofVirtual().name("node-lease-recovery").start(this::recover);
    }

    private void recover() {
        try {
            lease = registry.nodes().reclaim(nodeId, endpoint, patience);
            LOG.log(Level.INFO, "lease taken back nodeId={0}", nodeId);
            onRecovered.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "lease not taken back nodeId={0}, trying again: {1}", nodeId, e.getMessage());
        } finally {
            recovering.set(false);
        }
    }

    /** Stops renewing: the lease runs out and the other nodes sweep what is left of this one. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
