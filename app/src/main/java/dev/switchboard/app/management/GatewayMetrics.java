package dev.switchboard.app.management;

import dev.switchboard.app.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's metrics, in the Prometheus format on {@code /metrics}: connections, bytes queued to them, frames in
 * and out by kind, error frames by code, output failures by output, handshake refusals by reason.
 */
public final class GatewayMetrics {
    /** What a frame was: the label {@code kind} of {@code switchboard_frames_in_total} and {@code _out_total}. */
    public enum FrameKind {
        PING,
        PONG,
        SEND,
        PUBLISH,
        SUBSCRIBE,
        UNSUBSCRIBE,
        TOPIC_PUBLISH,
        TOPIC_PING,
        REFRESH,
        REFRESHED,
        PRESENCE,
        HISTORY,
        RECOVERY,
        INVALID,
        BINARY,
        TOO_LARGE,
        ERROR,
        DELIVERY,
        DELIVERY_REPEAT,
        NOTIFICATION,
        MANAGEMENT,
        NODE_RELAY;

        /** The label value: {@code topic_publish}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where a failed call went: the label {@code output} of {@code switchboard_output_failures_total}. */
    public enum Output {
        SNS,
        SQS,
        /** Another gateway node (the topic relay). */
        NODE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String FRAMES_IN = "switchboard_frames_in";
    static final String FRAMES_OUT = "switchboard_frames_out";
    static final String OUTPUT_FAILURES = "switchboard_output_failures";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<FrameKind, Counter> framesIn = new EnumMap<>(FrameKind.class);
    private final Map<FrameKind, Counter> framesOut = new EnumMap<>(FrameKind.class);
    private final Map<Output, Counter> outputFailures = new EnumMap<>(Output.class);

    /** Something that went wrong, for the console: when, what ({@code error} or {@code close}) and its code or cause. */
    public record Event(long at, String kind, String detail) {}

    /** Events kept for the console, the oldest dropped. */
    static final int KEPT_EVENTS = 50;

    private final java.util.ArrayDeque<Event> recent = new java.util.ArrayDeque<>();

    public GatewayMetrics(Supplier<Number> connections, Supplier<Number> queuedBytes) {
        Gauge.builder("switchboard_connections", connections)
                .description("open WebSocket connections on this node")
                .register(registry);
        Gauge.builder("switchboard_outbound_queued_bytes", queuedBytes)
                .description("bytes queued to clients and not yet written, all connections of this node")
                .register(registry);
        // Every kind registered once, here: each is scraped from the start (at 0), and no frame looks one up.
        for (var kind : FrameKind.values()) {
            framesIn.put(
                    kind, Counter.builder(FRAMES_IN).tag("kind", kind.label()).register(registry));
            framesOut.put(
                    kind, Counter.builder(FRAMES_OUT).tag("kind", kind.label()).register(registry));
        }
        for (var output : Output.values()) {
            outputFailures.put(
                    output,
                    Counter.builder(OUTPUT_FAILURES)
                            .tag("output", output.label())
                            .register(registry));
        }
    }

    /** A gauge read at each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void frameIn(FrameKind kind) {
        framesIn.get(kind).increment();
    }

    public void frameOut(FrameKind kind) {
        framesOut.get(kind).increment();
    }

    public void framesOut(FrameKind kind, int count) {
        framesOut.get(kind).increment(count);
    }

    public void error(ErrorCode code) {
        counter("switchboard_errors", "code", code.wireName()).increment();
        remember("error", code.wireName());
    }

    public void outputFailure(Output output) {
        outputFailures.get(output).increment();
    }

    public void outputFailures(Output output, int count) {
        outputFailures.get(output).increment(count);
    }

    /** A connection ended, by cause ({@code peer}, {@code management_delete}, {@code queue_full}, …). */
    public void closed(String cause) {
        counter("switchboard_closes", "cause", cause).increment();
        if (!cause.equals("peer") && !cause.equals("management_delete")) {
            remember("close", cause); // ours: drain, unresponsive, abuse, slow, expired, a failure
        }
    }

    /** A connection closed because it could not keep up ({@code queue_full} or {@code stalled}). */
    public void slowConsumerClosed(String reason) {
        counter("switchboard_slow_consumer_closes", "reason", reason).increment();
    }

    public void handshakeRefused(String reason) {
        counter("switchboard_handshake_refusals", "reason", reason).increment();
    }

    /** The last {@value #KEPT_EVENTS} errors and closes of ours, newest first. */
    public List<Event> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** A counter's total over all its tags ({@code switchboard_frames_in}: every kind). */
    public double total(String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** A gauge's value now, or 0. */
    public double gaugeValue(String name) {
        var gauge = registry.find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private void remember(String kind, String detail) {
        synchronized (recent) {
            recent.addFirst(new Event(System.currentTimeMillis(), kind, detail));
            while (recent.size() > KEPT_EVENTS) {
                recent.removeLast();
            }
        }
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String tag, String value) {
        // Looked up once per name and tag: building and registering a Counter on every frame cost more than
        // relaying it (JFR, docs/benchmarks.md).
        return counters.computeIfAbsent(
                name + '\0' + value,
                key -> Counter.builder(name).tag(tag, value).register(registry));
    }
}
