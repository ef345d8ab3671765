package dev.switchboard.app;

import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.protocol.CloseCause;
import dev.switchboard.app.topics.TopicRelay;
import dev.switchboard.registry.Announcer;
import dev.switchboard.registry.ConnectionRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's periodic work, on one timer thread that never waits on a client or on DynamoDB: liveness pings and
 * stalled writers (queued, non-blocking), and — each on a virtual thread of its own, one at a time — sweeps of dead
 * nodes, TTL refreshes and idle relay links. Each task starts one period after the node does. The same timer cuts
 * sockets after their close grace and retries failed registry work.
 */
final class NodeUpkeep implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeUpkeep.class.getName());

    private final ScheduledExecutorService timer = newTimer();
    private static final int SWEEP_PARALLELISM = 16;

    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();

    /**
     * One platform thread; a cancelled task leaves its queue at once, since each connection's token expiry is one
     * (cancelled when the connection ends or gets a fresh token).
     */
    private static ScheduledExecutorService newTimer() {
        var timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("node-upkeep").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** The timer, for the connections' close grace, token expiries and the deregistration retries. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** Schedules every periodic task of a node. */
    void start(
            GatewaySettings settings,
            LocalConnections hub,
            ConnectionRegistry registry,
            TopicRelay relay,
            Announcer announcer) {
        var ping = settings.pingInterval();
        every(ping, "liveness", () -> {
            var unanswered = ping.multipliedBy(2).toNanos();
            for (var connection : hub.all()) {
                if (connection.nanosSinceLastPong() > unanswered) {
                    connection.close(CloseCause.UNRESPONSIVE);
                } else {
                    connection.ping();
                }
            }
        });
        var stall = settings.outboundStall();
        every(min(stall.dividedBy(4), Duration.ofSeconds(1)), "stalled writers", () -> {
            var now = System.nanoTime();
            for (var connection : hub.all()) {
                if (connection.stalledNanos(now) > stall.toNanos()) {
                    connection.abort(CloseCause.STALLED);
                }
            }
        });
        // Dead nodes: whichever survivor claims one first deregisters its connections, 16 at a time, and announces
        // the OFFLINEs (and whatever presence the dead node owed).
        offloaded(settings.sweepInterval(), "sweep", () -> registry.nodes()
                .sweepDead(settings.nodeId(), SWEEP_PARALLELISM, announcer));
        var refresh = registry.settings().connectionTtl().dividedBy(2);
        offloaded(refresh, "ttl refresh", () -> {
            registry.connections().refresh(hub.all().stream().map(c -> c.id()).toList());
            hub.topics().forEach(relay::recordCount);
        });
        every(Duration.ofMinutes(1), "idle links", () -> relay.forgetIdle(Duration.ofMinutes(1)));
    }

    /** Stops the periodic tasks; the timer stays for close graces and retries until {@link #close}. */
    void stopPeriodic() {
        periodic.forEach(task -> task.cancel(false));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A quick task, run on the timer thread itself. */
    private void every(Duration period, String name, Runnable task) {
        var millis = Math.max(1, period.toMillis());
        periodic.add(timer.scheduleWithFixedDelay(() -> run(name, task), millis, millis, TimeUnit.MILLISECONDS));
    }

    /** A task that waits on DynamoDB: on a virtual thread, never two at once, never on the timer thread. */
    private void offloaded(Duration period, String name, Runnable task) {
        var running = new AtomicBoolean();
        every(period, name, () -> {
            if (running.compareAndSet(false, true)) {
                Thread.ofVirtual().name("upkeep-" + name.replace(' ', '-')).start(() -> {
                    try {
                        run(name, task);
                    } finally {
                        running.set(false);
                    }
                });
            }
        });
    }

    private static void run(String name, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "periodic task failed task={0}: {1}", name, e.getMessage());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
