package dev.switchboard.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@link Nodes} does with node leases beyond one call: taking a lease at start (sweeping what an
 * earlier run of the same id left), taking it back after it was lost, and sweeping dead nodes under a claim
 * ({@link Leases} holds the conditional writes).
 */
final class NodeSweeps {
    private final Leases leases;
    private final Connections connections;
    private final Topics topics;
    private final RegistrySettings settings;
    private final Clock clock;

    NodeSweeps(Leases leases, Connections connections, Topics topics, RegistrySettings settings, Clock clock) {
        this.leases = leases;
        this.connections = connections;
        this.topics = topics;
        this.settings = settings;
        this.clock = clock;
    }

    Lease claim(String nodeId, String endpoint, Duration patience, Announcer announcer) {
        var epoch = Leases.newEpoch();
        var deadline = clock.instant().plus(patience);
        while (clock.instant().isBefore(deadline)) {
            var found = leases.record(nodeId);
            if (found.isEmpty()) {
                var lease = leases.create(nodeId, endpoint, epoch, Optional.empty());
                if (lease.isPresent()) {
                    return lease.get();
                }
                continue; // written in between: look again
            }
            var record = found.get();
            if (record.aliveAt(clock.instant()) && record.sweeper().isEmpty()) {
                throw new RegistryException("node id " + nodeId + " is held by a live node until " + record.lease()
                        + " (its lease): two nodes cannot share an id");
            }
            if (leases.sweepInProgress(record) || !leases.claimSweep(record, epoch)) {
                pause();
                continue;
            }
            sweepNode(nodeId, 1, announcer);
            var claimed = leases.record(nodeId);
            var lease = claimed.flatMap(held -> leases.create(nodeId, endpoint, epoch, Optional.of(held)));
            if (lease.isPresent()) {
                return lease.get();
            }
        }
        throw new RegistryException("node id " + nodeId + ": no lease after " + patience + " (still being swept?)");
    }

    Lease reclaim(String nodeId, String endpoint, Duration patience) {
        var epoch = Leases.newEpoch();
        var deadline = clock.instant().plus(patience);
        while (clock.instant().isBefore(deadline)) {
            var found = leases.record(nodeId);
            if (found.isEmpty() || !leases.sweepInProgress(found.get())) {
                var lease = leases.create(nodeId, endpoint, epoch, found);
                if (lease.isPresent()) {
                    return lease.get();
                }
            }
            pause();
        }
        throw new RegistryException("node id " + nodeId + ": lease not taken back after " + patience);
    }

    void sweepDead(String sweeper, int parallelism, Announcer announcer) {
        var now = clock.instant();
        for (var record : leases.records()) {
            if (record.aliveAt(now) || leases.sweepInProgress(record) || !leases.claimSweep(record, sweeper)) {
                continue;
            }
            sweepNode(record.id(), parallelism, announcer);
            leases.release(record.id(), sweeper);
        }
    }

    /**
     * Deregisters every connection of a node, {@code parallelism} at a time, announcing what their users' presence
     * owes, and removes its topic entries.
     *
     * @throws RegistryException when one could not be: the claim then goes stale and a later sweep finishes it
     */
    private void sweepNode(String nodeId, int parallelism, Announcer announcer) {
        var permits = new Semaphore(Math.max(1, parallelism));
        var failure = new AtomicReference<RuntimeException>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var target : connections.connectionsOfNode(nodeId)) {
                permits.acquireUninterruptibly();
                threads.execute(() -> {
                    try {
                        connections.sweepConnection(target.connectionId(), announcer);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        topics.forgetTopicsOf(nodeId);
    }

    /** Between looks at a record someone else is changing: a tenth of the lease, at least 50 ms. */
    private void pause() {
        try {
            Thread.sleep(Math.max(50, settings.nodeLease().toMillis() / 10)); // polling another node's progress
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting for a node record");
        }
    }
}
