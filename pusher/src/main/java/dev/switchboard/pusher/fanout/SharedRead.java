package dev.switchboard.pusher.fanout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A registry read shared by the callers that need it at the same time, and never older than the call: a caller gets
 * the result of a read that started after it asked. At most one read runs at once; callers arriving while it runs
 * share the next one, started when it ends. So a read costs one Query however many requests need it, and what it
 * returns is as fresh as a read of its own (a node or subscriber on record before the caller asked is in it).
 * Thread-safe.
 */
final class SharedRead<T> {
    private final Supplier<T> read;
    private boolean running;
    private CompletableFuture<T> next;

    SharedRead(Supplier<T> read) {
        this.read = read;
    }

    /** The result of a read started after this call; a failed read throws its exception here. */
    T get() {
        CompletableFuture<T> mine;
        var start = false;
        synchronized (this) {
            if (next == null) {
                next = new CompletableFuture<>();
            }
            mine = next;
            if (!running) {
                running = true;
                next = null;
                start = true;
            }
        }
        if (start) {
            run(mine);
        }
        try {
            return mine.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Runs the read for {@code waiting} on this thread, then each next one on a thread of its own. */
    private void run(CompletableFuture<T> waiting) {
        try {
            waiting.complete(read.get());
        } catch (RuntimeException e) {
            waiting.completeExceptionally(e);
        }
        CompletableFuture<T> following;
        synchronized (this) {
            following = next;
            next = null;
            running = following != null;
        }
        if (following != null) {
            Thread.ofVirtual().name("shared-read").start(() -> run(following));
        }
    }
}
