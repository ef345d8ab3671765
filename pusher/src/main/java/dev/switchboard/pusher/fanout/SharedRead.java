package dev.switchboard.pusher.fanout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A registry read shared by the callers that need it at the same time, and never older than the call allows: a
 * caller gets the result of a read that started at most {@code reuse} before it asked ({@link Duration#ZERO}: after
 * it asked). At most one read runs at once, and reads start at least {@code spacing} apart; callers arriving
 * meanwhile share the next one. So reads cost at most one Query per {@code spacing} (or per {@code reuse}, when that
 * is longer) however many requests need them, a caller waits at most {@code spacing} plus one read, and what a caller
 * gets is as fresh as a read of its own started {@code reuse} earlier: whatever was on record by then is in it. A
 * failed read is never reused. Thread-safe.
 */
final class SharedRead<T> {
    private final Supplier<T> read;
    private final long spacing;
    private final long reuse;
    /** The last read that succeeded, and when it started; null before the first. */
    private volatile Done<T> last;
    /** Completed by the next read to start; everyone who asks before it starts waits on it. */
    private CompletableFuture<T> pending;

    private boolean running;
    private long lastStart;

    private record Done<T>(T value, long startedAt) {}

    /** Reads started after the call: {@code reuse} zero. */
    SharedRead(Duration spacing, Supplier<T> read) {
        this(spacing, Duration.ZERO, read);
    }

    SharedRead(Duration spacing, Duration reuse, Supplier<T> read) {
        this.read = read;
        this.spacing = spacing.toNanos();
        this.reuse = reuse.toNanos();
        this.lastStart = System.nanoTime() - this.spacing; // the first read starts at once
    }

    /** The result of a read started at most {@code reuse} before this call; a failed read throws its exception here. */
    T get() {
        var done = last;
        if (done != null && reuse > 0 && System.nanoTime() - done.startedAt() <= reuse) {
            return done.value();
        }
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
        long startedAt;
        synchronized (this) {
            current = pending;
            pending = null;
            startedAt = System.nanoTime();
            lastStart = startedAt;
        }
        try {
            var value = read.get();
            last = new Done<>(value, startedAt);
            current.complete(value);
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
