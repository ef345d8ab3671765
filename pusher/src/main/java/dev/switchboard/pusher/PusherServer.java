package dev.switchboard.pusher;

import dev.switchboard.pusher.consumer.QueueConsumer;
import dev.switchboard.pusher.fanout.Delivery;
import dev.switchboard.pusher.metrics.PusherMetrics;
import dev.switchboard.service.Observability;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ServerFeature;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** A running pusher: its consumer, and its small HTTP port ({@code /health}, {@code /metrics}). */
public final class PusherServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PusherServer.class.getName());

    private final QueueConsumer consumer;
    private final Delivery delivery;
    private final WebServer server;
    private final AtomicBoolean running = new AtomicBoolean(true);

    PusherServer(QueueConsumer consumer, Delivery delivery, PusherMetrics metrics, PusherSettings settings) {
        this.consumer = consumer;
        this.delivery = delivery;
        this.server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .addFeature(health(this::ready))
                .routing(routing -> routing(routing, metrics))
                .build()
                .start();
    }

    /** {@code /health} ({@code live}; {@code ready} while {@code ready} says so), on the pusher's one socket. */
    static ServerFeature health(BooleanSupplier ready) {
        return Observability.health(WebServer.DEFAULT_SOCKET_NAME, "pusher", ready);
    }

    /** {@code /metrics}: the Prometheus text of {@code metrics}. */
    static void routing(HttpRouting.Builder routing, PusherMetrics metrics) {
        routing.get("/metrics", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4")
                .send(metrics.scrape()));
    }

    public int port() {
        return server.port();
    }

    public QueueConsumer consumer() {
        return consumer;
    }

    private boolean ready() {
        return running.get() && consumer.isRunning();
    }

    /**
     * Stops: readiness false, no more polling, in-flight messages finished or released to the queue within the
     * shutdown deadline, clients closed. Idempotent.
     */
    public void stop() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        consumer.close();
        delivery.close();
        server.stop();
        LOG.log(Level.INFO, "pusher stopped");
    }

    @Override
    public void close() {
        stop();
    }
}
