package dev.switchboard.app;

import dev.switchboard.registry.ConnectionRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's lease in the registry, renewed every {@code NODE_HEARTBEAT} on a thread of its own that does nothing
 * else: no client, sweep or refresh can delay it past {@code NODE_LEASE}, so other nodes never take a live node for
 * dead. Each renewal is one DynamoDB write.
 */
final class NodeLease implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeLease.class.getName());

    private final ConnectionRegistry registry;
    private final String nodeId;
    private final String endpoint;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("node-lease").daemon().factory());

    NodeLease(ConnectionRegistry registry, String nodeId, String endpoint) {
        this.registry = registry;
        this.nodeId = nodeId;
        this.endpoint = endpoint;
    }

    /** Takes the lease now (the caller waits: a node serves nobody before it holds one), then renews it. */
    void start(Duration every) {
        registry.heartbeat(nodeId, endpoint);
        var unused =
                thread.scheduleWithFixedDelay(this::renew, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            registry.heartbeat(nodeId, endpoint);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "lease not renewed nodeId={0}: {1}", nodeId, e.getMessage());
        }
    }

    /** Stops renewing: the lease runs out and the other nodes sweep what is left of this one. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
