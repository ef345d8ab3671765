package dev.switchboard.app.hub;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's outbound frames: a queue bounded in bytes, drained by one writer at a time on a virtual thread of
 * its own, started when the queue gets work and ending when it is empty (an idle connection holds no thread). A
 * sender never waits: {@link #offer} queues and returns. Thread-safe.
 */
final class Outbound {
    /** Something to write; text counts its UTF-8 bytes against the bound, control frames count nothing. */
    sealed interface Item permits Text, Ping, Pong, Close {
        default long bytes() {
            return 0;
        }
    }

    record Text(OutFrame frame) implements Item {
        @Override
        public long bytes() {
            return frame.bytes();
        }
    }

    record Ping() implements Item {}

    /** A pong with the payload of the client's ping (at most 125 bytes), copied once and never changed. */
    @SuppressWarnings("ArrayRecordComponent") // the payload is written once, as it came; no equality is needed
    record Pong(byte[] payload) implements Item {}

    record Close(int status, String reason) implements Item {}

    /** Writes one item to the socket, blocking as long as the peer does not read; throws when the socket is gone. */
    interface Sink {
        void write(Item item);
    }

    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final long maxBytes;
    private final Sink sink;
    private final Runnable onWriteFailure;
    private volatile boolean closed;
    private volatile long writeStartedNanos;
    private volatile Thread writer;

    /** @param onWriteFailure told once a write fails: the socket is gone */
    Outbound(long maxBytes, Sink sink, Runnable onWriteFailure) {
        this.maxBytes = maxBytes;
        this.sink = sink;
        this.onWriteFailure = onWriteFailure;
    }

    /** Queues the item unless the outbound is closed or a text would pass the bound. */
    SendResult offer(Item item) {
        if (closed) {
            return SendResult.CLOSED;
        }
        var size = item.bytes();
        if (size > 0 && bytes.addAndGet(size) > maxBytes) {
            bytes.addAndGet(-size);
            return SendResult.FULL;
        }
        queue.add(item);
        if (draining.compareAndSet(false, true)) {
            Thread.startVirtualThread(this::drain);
        }
        return SendResult.QUEUED;
    }

    /** How long the write in progress has been blocked; zero when none is. */
    long stalledNanos(long now) {
        var started = writeStartedNanos;
        return started == 0 ? 0 : now - started;
    }

    /** Bytes queued and not yet written. */
    long queuedBytes() {
        return bytes.get();
    }

    /** Accepts nothing more; what is queued is still written unless {@link #discard} drops it. */
    void close() {
        closed = true;
    }

    /** Closes and drops what is queued; a write blocked in the socket is interrupted. */
    void discard() {
        closed = true;
        queue.clear();
        bytes.set(0);
        var blocked = writer;
        if (blocked != null) {
            blocked.interrupt(); // a virtual thread interrupted in a socket write closes that socket
        }
    }

    private void drain() {
        writer = Thread.currentThread();
        try {
            while (true) {
                Item item;
                while ((item = queue.poll()) != null) {
                    if (!write(item)) {
                        return;
                    }
                }
                draining.set(false);
                // An item queued after the last poll and before the flag cleared must not wait for the next offer.
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        } finally {
            writer = null;
        }
    }

    private boolean write(Item item) {
        writeStartedNanos = System.nanoTime() | 1; // never 0 while writing
        try {
            sink.write(item);
        } catch (RuntimeException e) {
            writeStartedNanos = 0;
            closed = true;
            queue.clear();
            bytes.set(0);
            draining.set(false);
            onWriteFailure.run();
            return false;
        }
        writeStartedNanos = 0;
        if (!closed) {
            bytes.addAndGet(-item.bytes());
        }
        return true;
    }
}
