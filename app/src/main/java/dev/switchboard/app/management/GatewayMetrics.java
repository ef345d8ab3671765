package dev.switchboard.app.management;

import dev.switchboard.app.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's metrics, in the Prometheus format on {@code /metrics}: connections, bytes queued to them, frames in
 * and out by kind, error frames by code, output failures by output, handshake refusals by reason.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(Supplier<Number> connections, Supplier<Number> queuedBytes) {
        Gauge.builder("switchboard_connections", connections)
                .description("open WebSocket connections on this node")
                .register(registry);
        Gauge.builder("switchboard_outbound_queued_bytes", queuedBytes)
                .description("bytes queued to clients and not yet written, all connections of this node")
                .register(registry);
    }

    /** A gauge read at each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void frameIn(String kind) {
        counter("switchboard_frames_in", "kind", kind).increment();
    }

    public void frameOut(String kind) {
        counter("switchboard_frames_out", "kind", kind).increment();
    }

    public void framesOut(String kind, int count) {
        counter("switchboard_frames_out", "kind", kind).increment(count);
    }

    public void error(ErrorCode code) {
        counter("switchboard_errors", "code", code.wireName()).increment();
    }

    public void outputFailure(String output) {
        counter("switchboard_output_failures", "output", output).increment();
    }

    public void outputFailures(String output, int count) {
        counter("switchboard_output_failures", "output", output).increment(count);
    }

    /** A connection ended, by cause ({@code peer}, {@code management_delete}, {@code queue_full}, …). */
    public void closed(String cause) {
        counter("switchboard_closes", "cause", cause).increment();
    }

    /** A connection closed because it could not keep up ({@code queue_full} or {@code stalled}). */
    public void slowConsumerClosed(String reason) {
        counter("switchboard_slow_consumer_closes", "reason", reason).increment();
    }

    public void handshakeRefused(String reason) {
        counter("switchboard_handshake_refusals", "reason", reason).increment();
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
