package dev.switchboard.app.metrics;

import dev.switchboard.app.protocol.CloseCause;
import dev.switchboard.app.protocol.ErrorCode;
import dev.switchboard.authorizer.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The gateway's metrics — every name and label value of them, here and nowhere else —, in the Prometheus format on
 * {@code /metrics}: connections, bytes queued to them, frames in
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
            return GatewayMetrics.label(this);
        }
    }

    /** Where a failed call went: the label {@code output} of {@code switchboard_output_failures_total}. */
    public enum Output {
        SNS,
        SQS,
        /** Another gateway node (the topic relay). */
        NODE;

        public String label() {
            return GatewayMetrics.label(this);
        }
    }

    /**
     * Why a handshake was refused before its token was read: the label {@code reason} of {@code
     * switchboard_handshake_refusals_total}, beside the token's own {@link Reason}s.
     */
    public enum Refusal {
        /** The node is draining (503). */
        DRAINING,
        /** Too many new connections from the address (429). */
        CONNECT_RATE,
        /** The user holds as many connections as it may on this node (429). */
        USER_CONNECTIONS;

        public String label() {
            return GatewayMetrics.label(this);
        }
    }

    static final String CONNECTIONS = "switchboard_connections";
    static final String OUTBOUND_QUEUED_BYTES = "switchboard_outbound_queued_bytes";
    static final String TOPICS_CACHED = "switchboard_topics_cached";
    static final String FRAMES_IN = "switchboard_frames_in";
    static final String FRAMES_OUT = "switchboard_frames_out";
    static final String OUTPUT_FAILURES = "switchboard_output_failures";
    static final String ERRORS = "switchboard_errors";
    static final String CLOSES = "switchboard_closes";
    static final String SLOW_CONSUMER_CLOSES = "switchboard_slow_consumer_closes";
    static final String HANDSHAKE_REFUSALS = "switchboard_handshake_refusals";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<FrameKind, Counter> framesIn;
    private final Map<FrameKind, Counter> framesOut;
    private final Map<Output, Counter> outputFailures;
    private final Map<ErrorCode, Counter> errors;
    private final Map<CloseCause, Counter> closes;
    private final Map<CloseCause, Counter> slowConsumerCloses;
    private final Map<Refusal, Counter> refusals;
    private final Map<Reason, Counter> tokenRefusals;

    /** Something that went wrong, for the console: when, what ({@code error} or {@code close}) and its code or cause. */
    public record Event(long at, String kind, String detail) {}

    /** Events kept for the console, the oldest dropped. */
    static final int KEPT_EVENTS = 50;

    private final java.util.ArrayDeque<Event> recent = new java.util.ArrayDeque<>();

    public GatewayMetrics(Supplier<Number> connections, Supplier<Number> queuedBytes) {
        Gauge.builder(CONNECTIONS, connections)
                .description("open WebSocket connections on this node")
                .register(registry);
        Gauge.builder(OUTBOUND_QUEUED_BYTES, queuedBytes)
                .description("bytes queued to clients and not yet written, all connections of this node")
                .register(registry);
        // Every label value registered once, here: each is scraped from the start (at 0), and no frame looks one up
        // (building and registering a Counter on every frame cost more than relaying it: JFR, docs/benchmarks.md).
        framesIn = counters(FRAMES_IN, "kind", FrameKind.class, kind -> true);
        framesOut = counters(FRAMES_OUT, "kind", FrameKind.class, kind -> true);
        outputFailures = counters(OUTPUT_FAILURES, "output", Output.class, output -> true);
        errors = counters(ERRORS, "code", ErrorCode.class, code -> true, ErrorCode::wireName);
        closes = counters(CLOSES, "cause", CloseCause.class, cause -> true);
        slowConsumerCloses = counters(SLOW_CONSUMER_CLOSES, "reason", CloseCause.class, CloseCause::slowConsumer);
        refusals = counters(HANDSHAKE_REFUSALS, "reason", Refusal.class, refusal -> true);
        tokenRefusals = counters(HANDSHAKE_REFUSALS, "reason", Reason.class, reason -> true);
    }

    private <E extends Enum<E>> Map<E, Counter> counters(String name, String tag, Class<E> type, Predicate<E> which) {
        return counters(name, tag, type, which, GatewayMetrics::label);
    }

    private <E extends Enum<E>> Map<E, Counter> counters(
            String name, String tag, Class<E> type, Predicate<E> which, Function<E, String> label) {
        var counters = new EnumMap<E, Counter>(type);
        for (var value : type.getEnumConstants()) {
            if (which.test(value)) {
                counters.put(
                        value,
                        Counter.builder(name).tag(tag, label.apply(value)).register(registry));
            }
        }
        return counters;
    }

    /** A label value: the constant's name in lower case ({@code topic_publish}). */
    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The topics whose list of nodes this node keeps, read at each scrape. */
    public void topicsCached(Supplier<Number> topics) {
        Gauge.builder(TOPICS_CACHED, topics)
                .description("topics whose list of nodes this node keeps (TOPICS_CACHED at most)")
                .register(registry);
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
        errors.get(code).increment();
        remember("error", code.wireName());
    }

    public void outputFailure(Output output) {
        outputFailures.get(output).increment();
    }

    public void outputFailures(Output output, int count) {
        outputFailures.get(output).increment(count);
    }

    /** A connection ended; a slow consumer's end is counted as one too. */
    public void closed(CloseCause cause) {
        closes.get(cause).increment();
        if (cause.slowConsumer()) {
            slowConsumerCloses.get(cause).increment();
        }
        if (cause.notable()) {
            remember("close", cause.label()); // ours: drain, unresponsive, abuse, slow, expired, a failure
        }
    }

    public void handshakeRefused(Refusal refusal) {
        refusals.get(refusal).increment();
    }

    /** A handshake whose token was refused, by the verifier's reason. */
    public void handshakeRefused(Reason reason) {
        tokenRefusals.get(reason).increment();
    }

    /** The last {@value #KEPT_EVENTS} errors and closes of ours, newest first. */
    public List<Event> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** Connections open on this node now. */
    public double connections() {
        return registry.get(CONNECTIONS).gauge().value();
    }

    /** Frames received so far, of every kind. */
    public double framesIn() {
        return total(FRAMES_IN);
    }

    /** Frames sent so far, of every kind. */
    public double framesOut() {
        return total(FRAMES_OUT);
    }

    /** Connections closed so far as slow consumers. */
    public double slowConsumerCloses() {
        return total(SLOW_CONSUMER_CLOSES);
    }

    private double total(String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
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
}
