package dev.switchboard.app;

import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.registry.Connection;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's records in memory: what it registered and forgot, in order, with failures and holds a test sets.
 * Thread-safe.
 */
final class RecordingRecords implements Gateway.Records {
    private final LocalConnections hub;
    private final List<String> registered = new CopyOnWriteArrayList<>();
    private final List<String> deregistered = new CopyOnWriteArrayList<>();
    private final List<String> deregisteredTogether = new CopyOnWriteArrayList<>();
    final List<Boolean> inHubWhenRegistered = new CopyOnWriteArrayList<>();
    final List<String> registeredAgain = new CopyOnWriteArrayList<>();
    final List<String> announced = new CopyOnWriteArrayList<>();
    final AtomicInteger togetherCalls = new AtomicInteger();
    /** Thrown by the next registers, when set. */
    volatile RuntimeException failRegister;
    /** Whether forgetting together fails. */
    volatile boolean failTogether;
    /** When set, a deregister waits for it. */
    volatile CountDownLatch deregistering;

    RecordingRecords(LocalConnections hub) {
        this.hub = hub;
    }

    List<String> registered() {
        return List.copyOf(registered);
    }

    List<String> deregistered() {
        return List.copyOf(deregistered);
    }

    List<String> deregisteredTogether() {
        return List.copyOf(deregisteredTogether);
    }

    @Override
    public void register(Connection connection) {
        inHubWhenRegistered.add(hub.get(connection.id()).isPresent());
        registered.add(connection.id());
        var failure = failRegister;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void deregister(Connection connection) {
        var hold = deregistering;
        if (hold != null) {
            try {
                if (!hold.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held too long");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        deregistered.add(connection.id());
    }

    @Override
    public Collection<String> deregisterAll(Map<Connection, List<String>> connections, int parallelism) {
        togetherCalls.incrementAndGet();
        if (failTogether) {
            throw new IllegalStateException("BatchWriteItem refused");
        }
        connections.keySet().forEach(c -> deregisteredTogether.add(c.id()));
        return List.of();
    }

    @Override
    public void registerAgain(ClientConnection connection) {
        registeredAgain.add(connection.id());
    }

    @Override
    public void announceOwed(String userId) {
        announced.add(userId);
    }
}
