package dev.switchboard.app;

import dev.switchboard.registry.Announcer;
import dev.switchboard.registry.ConnectionRegistry;
import io.helidon.webserver.WebServer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** A running gateway node: its two sockets, its lease and its periodic work. {@link #stop()} is idempotent. */
public final class GatewayServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

    private final WebServer server;
    private final Gateway gateway;
    private final ConnectionRegistry registry;
    private final NodeLease lease;
    private final NodeUpkeep upkeep;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean draining;
    private final Announcer announcer;

    GatewayServer(
            WebServer server,
            Gateway gateway,
            ConnectionRegistry registry,
            NodeLease lease,
            NodeUpkeep upkeep,
            AtomicBoolean draining,
            Announcer announcer) {
        this.server = server;
        this.gateway = gateway;
        this.registry = registry;
        this.lease = lease;
        this.upkeep = upkeep;
        this.draining = draining;
        this.announcer = announcer;
    }

    /** What the node publishes presence changes through (PRESENCE_TARGET). */
    public Announcer announcer() {
        return announcer;
    }

    public int port() {
        return server.port();
    }

    public int managementPort() {
        return server.port(Main.INTERNAL_SOCKET);
    }

    public Gateway gateway() {
        return gateway;
    }

    public boolean isRunning() {
        return running.get();
    }

    /**
     * Drains: readiness turns false and new connections are refused (503); after the shutdown delay every client is
     * closed with 1001 at once (going away: reconnect, to another node) and deregistered in parallel (OFFLINEs sent);
     * once all are, the node's records are removed, and the sockets stop. The lease is renewed until then, so no
     * other node sweeps a draining one. Work past the shutdown deadline is cut short: the lease then runs out and
     * a surviving node's sweep finishes it.
     */
    public void stop() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        draining.set(true);
        var delay = gateway.settings().shutdownDelay();
        if (delay.isPositive()) {
            LOG.log(Level.INFO, "draining: not ready, clients kept for {0} while the load balancer notices", delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var deadline = System.nanoTime() + gateway.settings().shutdownDeadline().toNanos();
        upkeep.stopPeriodic();
        var connections = gateway.hub().size();
        var drainStart = System.nanoTime();
        var forgotten = gateway.drain(remaining(deadline));
        LOG.log(
                Level.INFO,
                "drain {0} connections={1} ms={2}",
                forgotten ? "done" : "cut short",
                String.valueOf(connections),
                String.valueOf((System.nanoTime() - drainStart) / 1_000_000));
        if (forgotten) {
            try {
                registry.topics().forgetTopicsOf(gateway.settings().nodeId());
                registry.nodes().forget(gateway.settings().nodeId());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "node records not removed: {0}", e.getMessage());
            }
        } else {
            LOG.log(
                    Level.WARNING,
                    "drain cut short at its deadline; surviving nodes will sweep the rest once the lease runs out");
        }
        lease.close();
        server.stop();
        gateway.shutdown(Duration.ofSeconds(5));
        upkeep.close();
        LOG.log(
                Level.INFO,
                "gateway stopped nodeId={0} connectionsClosed={1}",
                gateway.settings().nodeId(),
                String.valueOf(connections));
    }

    /**
     * Stops at once, cleaning nothing up, as a killed process would: the registry keeps this node's records until
     * its lease runs out and a surviving node sweeps them. For tests of exactly that.
     */
    public void abort() {
        if (running.compareAndSet(true, false)) {
            gateway.abandon();
            lease.close();
            upkeep.close();
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
