package dev.switchboard.pusher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The pusher's metrics, in the Prometheus format on {@code /metrics}: messages by outcome (delivered, refused,
 * retried, released), posts by outcome (delivered, gone, failed), delete failures, messages in flight. Names and
 * label values are fixed here; every counter is registered once, at start.
 */
public final class PusherMetrics {
    /** What became of a notification message (label {@code outcome} of {@code switchboard_pusher_messages_total}). */
    public enum MessageOutcome {
        DELIVERED,
        REFUSED,
        RETRIED,
        RELEASED
    }

    /** What became of a node's post (label {@code outcome} of {@code switchboard_pusher_posts_total}). */
    public enum PostOutcome {
        DELIVERED,
        GONE,
        FAILED
    }

    static final String MESSAGES = "switchboard_pusher_messages";
    static final String POSTS = "switchboard_pusher_posts";
    static final String DELETE_FAILURES = "switchboard_pusher_delete_failures";
    static final String IN_FLIGHT = "switchboard_pusher_messages_in_flight";
    static final String OUTCOME = "outcome";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<MessageOutcome, Counter> messages = new EnumMap<>(MessageOutcome.class);
    private final Map<PostOutcome, Counter> posts = new EnumMap<>(PostOutcome.class);
    private final Counter deleteFailures;

    public PusherMetrics(Supplier<Number> inFlight) {
        Gauge.builder(IN_FLIGHT, inFlight)
                .description("notification messages being fanned out")
                .register(registry);
        for (var outcome : MessageOutcome.values()) {
            messages.put(outcome, counter(MESSAGES, outcome));
        }
        for (var outcome : PostOutcome.values()) {
            posts.put(outcome, counter(POSTS, outcome));
        }
        deleteFailures = Counter.builder(DELETE_FAILURES).register(registry);
    }

    public void message(MessageOutcome outcome) {
        messages.get(outcome).increment();
    }

    public void posts(PostOutcome outcome, int count) {
        posts.get(outcome).increment(count);
    }

    public void deleteFailed() {
        deleteFailures.increment();
    }

    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, Enum<?> outcome) {
        return Counter.builder(name)
                .tag(OUTCOME, outcome.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }
}
