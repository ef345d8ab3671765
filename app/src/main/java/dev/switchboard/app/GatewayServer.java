package dev.switchboard.app;

import dev.switchboard.app.protocol.CloseCode;
import dev.switchboard.registry.ConnectionRegistry;
import io.helidon.webserver.WebServer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A running gateway node: its two sockets and its periodic work. {@link #stop()} is idempotent. */
public final class GatewayServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

    private final WebServer server;
    private final Gateway gateway;
    private final ConnectionRegistry registry;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean draining;

    GatewayServer(
            WebServer server,
            Gateway gateway,
            ConnectionRegistry registry,
            ScheduledExecutorService scheduler,
            AtomicBoolean draining) {
        this.server = server;
        this.gateway = gateway;
        this.registry = registry;
        this.scheduler = scheduler;
        this.draining = draining;
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
     * closed with 1001 (going away: reconnect, to another node) and deregistered (OFFLINEs sent), the node's records
     * are removed, and both sockets stop. Work past the shutdown deadline is cut short: the sweep of a surviving node
     * finishes it.
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
        scheduler.shutdownNow();
        var connections = gateway.hub().all();
        var deadline = System.nanoTime() + gateway.settings().shutdownDeadline().toNanos();
        var drain = Thread.ofVirtual().start(() -> {
            for (var connection : connections) {
                try {
                    connection.close(CloseCode.GOING_AWAY, "server shutting down");
                    gateway.closed(connection, CloseCode.GOING_AWAY.status());
                } catch (RuntimeException e) {
                    // One connection's failure must not leave the others undrained.
                    LOG.log(Level.WARNING, "drain of connectionId={0} failed: {1}", connection.id(), e.getMessage());
                }
            }
            try {
                registry.forgetTopicsOf(gateway.settings().nodeId());
                registry.forgetNode(gateway.settings().nodeId());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "node records not removed: {0}", e.getMessage());
            }
        });
        try {
            if (!drain.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                LOG.log(Level.WARNING, "drain cut short at its deadline; surviving nodes will sweep the rest");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(
                Level.INFO,
                "gateway stopped nodeId={0} connectionsClosed={1}",
                gateway.settings().nodeId(),
                String.valueOf(connections.size()));
    }

    /**
     * Stops at once, cleaning nothing up, as a killed process would: the registry keeps this node's records until
     * its lease runs out and a surviving node sweeps them. For tests of exactly that.
     */
    public void abort() {
        if (running.compareAndSet(true, false)) {
            scheduler.shutdownNow();
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
