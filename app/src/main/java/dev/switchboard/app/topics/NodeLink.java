package dev.switchboard.app.topics;

import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.metrics.GatewayMetrics.FrameKind;
import dev.switchboard.app.metrics.GatewayMetrics.Output;
import dev.switchboard.app.topics.RelayBatch.Relayed;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The relay to one other node: publishes queue up here and one sender at a time posts them as a batch, so a quiet
 * topic's publish leaves at once (a batch of one) and a busy one rides in batches of up to {@value #MAX_BATCH}, on
 * one kept-alive connection, in order. The queue is bounded in bytes ({@code TOPICS_RELAY_MAX_BYTES}): a node far
 * behind, or stuck, gets no more until it catches up — refused publishes are counted as failures — and no other
 * node's link, nor any publisher, waits for it.
 */
final class NodeLink {
    static final int MAX_BATCH = 512;
    static final int MAX_BATCH_CHARS = 1 << 20;

    private static final System.Logger LOG = System.getLogger(NodeLink.class.getName());

    private final String nodeId;
    private final URI uri;
    private final Http1Client http;
    private final GatewayMetrics metrics;
    private final Consumer<String> onFailure;

    private record Queued(Relayed publish, long bytes) {}

    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long maxBytes;
    private final AtomicBoolean sending = new AtomicBoolean();

    /** @param onFailure told each topic of a batch that failed (the relay forgets its cached nodes) */
    NodeLink(
            String nodeId,
            String endpoint,
            long maxBytes,
            Http1Client http,
            GatewayMetrics metrics,
            Consumer<String> onFailure) {
        this.nodeId = nodeId;
        this.maxBytes = maxBytes;
        this.uri = URI.create(endpoint + TopicRelay.PATH);
        this.http = http;
        this.metrics = metrics;
        this.onFailure = onFailure;
    }

    /** Queues a publish for the node; never waits. {@code bytes}: the frame's size, counted against the bound. */
    void relay(String topic, String frame, long bytes) {
        relay(new Relayed(topic, frame), bytes);
    }

    /** Queues a publish (or a frame for the topic's members) for the node; never waits. */
    void relay(Relayed publish, long bytes) {
        var topic = publish.topic();
        if (queuedBytes.addAndGet(bytes) > maxBytes) {
            queuedBytes.addAndGet(-bytes);
            metrics.outputFailure(Output.NODE);
            LOG.log(Level.WARNING, "topic relay queue full nodeId={0} topic={1}: publish dropped", nodeId, topic);
            return;
        }
        queue.add(new Queued(publish, bytes));
        if (sending.compareAndSet(false, true)) {
            Thread.ofVirtual().name("relay-" + nodeId).start(this::drain);
        }
    }

    private void drain() {
        while (true) {
            var batch = new ArrayList<Relayed>();
            var chars = 0;
            Queued next;
            var bytes = 0L;
            while (batch.size() < MAX_BATCH && chars < MAX_BATCH_CHARS && (next = queue.poll()) != null) {
                batch.add(next.publish());
                chars += next.publish().frame().length();
                bytes += next.bytes();
            }
            queuedBytes.addAndGet(-bytes);
            if (batch.isEmpty()) {
                sending.set(false);
                // A publish queued after the poll and before the flag cleared must not wait for the next one.
                if (queue.isEmpty() || !sending.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            post(batch);
        }
    }

    private void post(List<Relayed> batch) {
        String failure;
        try (var response = http.post()
                .uri(uri)
                .header(HeaderNames.CONTENT_TYPE, TopicRelay.CONTENT_TYPE)
                .submit(RelayBatch.encode(batch))) {
            response.entity().consume();
            if (response.status().code() < 300) {
                metrics.framesOut(FrameKind.NODE_RELAY, batch.size());
                return;
            }
            failure = "HTTP " + response.status().code();
        } catch (RuntimeException e) {
            // Helidon's client reports a refused or broken connection, or a timeout, unchecked.
            failure = e.toString();
        }
        metrics.outputFailures(Output.NODE, batch.size());
        LOG.log(
                Level.WARNING,
                "topic relay to node failed nodeId={0} publishes={1}: {2}",
                nodeId,
                String.valueOf(batch.size()),
                failure);
        batch.stream().map(Relayed::topic).distinct().forEach(onFailure);
    }
}
