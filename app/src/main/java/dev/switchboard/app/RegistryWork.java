package dev.switchboard.app;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Registry work that must get done — forgetting an ended connection, announcing owed presence, registering a
 * connection again after the lease was lost — run off the thread that asked for it (a socket writer, the
 * Management API, the upkeep timer must not wait on DynamoDB), many at once on the shared AWS threads, and retried
 * with a backoff until it succeeds: it is never dropped while the node lives. Work for one key (a connection, a
 * user) runs in the order it was asked for, one at a time. A drain waits for all of it.
 */
final class RegistryWork {
    private static final System.Logger LOG = System.getLogger(RegistryWork.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final AwsCalls aws;
    private final ScheduledExecutorService timer;
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    RegistryWork(AwsCalls aws, ScheduledExecutorService timer) {
        this.aws = aws;
        this.timer = timer;
    }

    /** Runs {@code work} (idempotent) for {@code key} until it succeeds, after any work already asked for the key. */
    void start(String key, String what, Runnable work) {
        var done = new CompletableFuture<Void>();
        var unused = after(key, done).whenComplete((ok, failure) -> attempt(key, what, work, done, 1));
    }

    /**
     * Runs {@code work} once for {@code key}, after any work already asked for the key, and tells how it went: for a
     * caller that waits (a connection's registration, which must come before its deregistration).
     */
    CompletableFuture<Void> runOnce(String key, Runnable work) {
        var result = new CompletableFuture<Void>();
        var done = new CompletableFuture<Void>();
        var unused = after(key, done)
                .handle((ok, failure) -> null)
                .thenCompose(ignored -> aws.submit(work))
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(failure);
                    }
                    done.complete(null);
                });
        return result;
    }

    /**
     * Makes {@code done} the key's last work and returns the work it follows (done already when there is none);
     * {@code done} leaves the map when it completes. The chains are built after the swap, outside the map's lock:
     * work that completes at once (before a callback is even registered) must find its entry there to remove it —
     * inside {@code compute} it would not, and a completed future left behind would keep {@link #await} waiting.
     */
    private CompletableFuture<Void> after(String key, CompletableFuture<Void> done) {
        var before = pending.put(key, done);
        var unused = done.whenComplete((ok, failure) -> pending.remove(key, done));
        return before == null ? CompletableFuture.completedFuture(null) : before;
    }

    /** Whether work asked for {@code key} is still to do. */
    boolean busy(String key) {
        return pending.containsKey(key);
    }

    /** Whether all work asked for is done (including work asked for meanwhile), waiting up to {@code timeout}. */
    boolean await(Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            var all = CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new));
            try {
                var left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(); // work keeps coming: the deadline holds all the same
                }
                all.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.log(
                        Level.WARNING,
                        "registry work not done in time: {0} left, such as {1}",
                        String.valueOf(pending.size()),
                        pending.keySet().stream().limit(3).toList());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void attempt(String key, String what, Runnable work, CompletableFuture<Void> done, int attempt) {
        CompletableFuture<Void> run;
        try {
            run = aws.submit(work);
        } catch (RejectedExecutionException e) {
            return; // the node has stopped: its lease runs out and a survivor's sweep finishes this
        }
        var unused = run.whenComplete((ok, failure) -> {
            if (failure == null) {
                done.complete(null);
                return;
            }
            var backoff = Math.min(MAX_BACKOFF_MILLIS, 250L << Math.min(attempt, 7));
            LOG.log(
                    Level.WARNING,
                    "{0} failed key={1} attempt={2}, retrying in {3} ms: {4}",
                    what,
                    key,
                    String.valueOf(attempt),
                    String.valueOf(backoff),
                    failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage());
            try {
                var unusedRetry = timer.schedule(
                        () -> attempt(key, what, work, done, attempt + 1), backoff, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // the node has stopped: a survivor's sweep finishes it
            }
        });
    }
}
