package dev.switchboard.pusher.fanout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A registry read shared by the callers that need it at the same time, and never older than the call: a caller gets
 * the result of a read that started after it asked. At most one read runs at once, and reads start at least {@code
 * spacing} apart; callers arriving meanwhile share the next one. So reads cost at most one Query per {@code spacing}
 * however many requests need them (a caller waits up to {@code spacing} plus one read), and what a caller gets is as
 * fresh as a read of its own: a node or subscriber on record before it asked is in it. Thread-safe.
 */
final class SharedRead<T> {
    private final Supplier<T> read;
    private final long spacing;
    /** Completed by the next read to start; everyone who asks before it starts waits on it. */
    private CompletableFuture<T> pending;

    private boolean running;
    private long lastStart;

    SharedRead(Duration spacing, Supplier<T> read) {
        this.read = read;
        this.spacing = spacing.toNanos();
        this.lastStart = System.nanoTime() - this.spacing; // the first read starts at once
    }

    /** The result of a read started after this call; a failed read throws its exception here. */
    T get() {
        CompletableFuture<T> mine;
        var start = false;
        synchronized (this) {
            if (pending == null) {
                pending = new CompletableFuture<>();
            }
            mine = pending;
            if (!running) {
                running = true;
                start = true;
            }
        }
        if (start) {
            run();
        }
        try {
            return mine.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Runs the pending read on this thread, then, if more callers came meanwhile, the next on a thread of its own. */
    private void run() {
        long wait;
        synchronized (this) {
            wait = lastStart + spacing - System.nanoTime();
        }
        if (wait > 0) {
            LockSupport.parkNanos(wait); // spacing reads out: whoever asks meanwhile joins this one
        }
        CompletableFuture<T> current;
        synchronized (this) {
            current = pending;
            pending = null;
            lastStart = System.nanoTime();
        }
        try {
            current.complete(read.get());
        } catch (RuntimeException e) {
            current.completeExceptionally(e);
        }
        synchronized (this) {
            running = pending != null;
            if (!running) {
                return;
            }
        }
        Thread.ofVirtual().name("shared-read").start(this::run);
    }
}
