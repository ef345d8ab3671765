package dev.switchboard.pusher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * The pusher's metrics, in the Prometheus format on {@code /metrics}: messages by outcome (delivered, refused,
 * retried, released), posts by outcome (delivered, gone, failed), delete failures, messages in flight.
 */
public final class PusherMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public PusherMetrics(Supplier<Number> inFlight) {
        Gauge.builder("switchboard_pusher_messages_in_flight", inFlight)
                .description("notification messages being fanned out")
                .register(registry);
    }

    public void message(String outcome) {
        counter("switchboard_pusher_messages", "outcome", outcome).increment();
    }

    public void posts(String outcome, int count) {
        counter("switchboard_pusher_posts", "outcome", outcome).increment(count);
    }

    public void deleteFailed() {
        Counter.builder("switchboard_pusher_delete_failures").register(registry).increment();
    }

    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String tag, String value) {
        return Counter.builder(name).tag(tag, value).register(registry);
    }
}
