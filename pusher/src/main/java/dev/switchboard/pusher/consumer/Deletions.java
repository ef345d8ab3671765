package dev.switchboard.pusher.consumer;

import dev.switchboard.pusher.metrics.PusherMetrics;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Deletes settled messages from the queue in DeleteMessageBatches of up to 10: a batch leaves when it is full or
 * {@link #LINGER} after its first message was done, {@link #DELETES_IN_FLIGHT} batches at most under way. A delete
 * is not on any delivery's path (the clients have the message by then), so waiting a moment for a fuller batch costs
 * nothing but the message's time in flight, and saves a call per message when messages come one at a time — the
 * SDK call, not the delete, is what costs CPU. A delete that fails is logged and counted: the message comes back and
 * is delivered again, which the nodes' memory of request ids makes harmless. Thread-safe.
 */
final class Deletions implements AutoCloseable {
    static final int DELETES_IN_FLIGHT = 2;
    /** How long a done message waits for others to share its DeleteMessageBatch. */
    static final Duration LINGER = Duration.ofMillis(50);

    private static final System.Logger LOG = System.getLogger(Deletions.class.getName());

    private final NotificationQueue queue;
    private final Predicate<String> released;
    private final PusherMetrics metrics;
    private final LinkedBlockingQueue<Message> waiting = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(DELETES_IN_FLIGHT);
    private final Thread deleter;
    private volatile boolean open = true;

    /** @param released whether a message (by id) was given back to the queue: it is then not deleted */
    Deletions(NotificationQueue queue, Predicate<String> released, PusherMetrics metrics) {
        this.queue = queue;
        this.released = released;
        this.metrics = metrics;
        this.deleter = Thread.ofVirtual().name("deleter").start(this::run);
    }

    void add(Message message) {
        waiting.add(message);
    }

    private void run() {
        try {
            while (open || !waiting.isEmpty()) {
                var first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                var batch = new ArrayList<Message>(10);
                batch.add(first);
                var leaveAt = System.nanoTime() + LINGER.toNanos();
                while (open && batch.size() < 10) {
                    var next = waiting.poll(leaveAt - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                // Waiting for a free slot lets what is done meanwhile join this batch: under load, batches fill.
                inFlight.acquire();
                waiting.drainTo(batch, 10 - batch.size());
                delete(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void delete(List<Message> messages) {
        var deleting =
                messages.stream().filter(m -> !released.test(m.messageId())).toList();
        if (deleting.isEmpty()) {
            inFlight.release();
            return;
        }
        queue.delete(deleting).whenComplete((failed, failure) -> {
            inFlight.release();
            if (failure != null) {
                deleting.forEach(m -> metrics.deleteFailed());
                LOG.log(
                        Level.WARNING,
                        "delete batch failed: {0} (its messages will be delivered again)",
                        failure instanceof CompletionException c ? c.getCause() : failure);
                return;
            }
            failed.forEach((id, why) -> {
                metrics.deleteFailed();
                LOG.log(Level.WARNING, "delete failed messageId={0}: {1} (it will be delivered again)", id, why);
            });
        });
    }

    /** Sends what is waiting and waits (10 s at most) for every delete under way. */
    @Override
    public void close() {
        open = false;
        try {
            deleter.join(Duration.ofSeconds(10));
            if (inFlight.tryAcquire(DELETES_IN_FLIGHT, 10, TimeUnit.SECONDS)) {
                inFlight.release(DELETES_IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
