package dev.switchboard.app;

import dev.switchboard.app.protocol.CloseCode;
import dev.switchboard.registry.ConnectionRegistry;
import io.helidon.webserver.WebServer;
import java.lang.System.Logger.Level;
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

    GatewayServer(WebServer server, Gateway gateway, ConnectionRegistry registry, ScheduledExecutorService scheduler) {
        this.server = server;
        this.gateway = gateway;
        this.registry = registry;
        this.scheduler = scheduler;
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

    /** Closes every client with 1001 (going away: reconnect elsewhere), deregisters them, stops both sockets. */
    public void stop() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        scheduler.shutdownNow();
        var connections = gateway.hub().all();
        for (var connection : connections) {
            connection.close(CloseCode.GOING_AWAY, "server shutting down");
            gateway.closed(connection, CloseCode.GOING_AWAY.status());
        }
        try {
            registry.forgetNode(gateway.settings().nodeId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node record not removed: {0}", e.getMessage());
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

    @Override
    public void close() {
        stop();
    }
}
