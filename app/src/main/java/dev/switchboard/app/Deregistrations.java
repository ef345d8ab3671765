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
 * Forgetting ended connections in the registry, off the thread that ended them (a socket writer, the Management
 * API, the upkeep timer must not wait on DynamoDB), many at once on the shared AWS threads, and retried with a
 * backoff until each is done: a failed one is never dropped while the node lives. A drain waits for them all.
 */
final class Deregistrations {
    private static final System.Logger LOG = System.getLogger(Deregistrations.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final AwsCalls aws;
    private final ScheduledExecutorService timer;
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    Deregistrations(AwsCalls aws, ScheduledExecutorService timer) {
        this.aws = aws;
        this.timer = timer;
    }

    /** Runs {@code work} (idempotent) for the connection until it succeeds. */
    void start(String connectionId, Runnable work) {
        var done = new CompletableFuture<Void>();
        pending.put(connectionId, done);
        attempt(connectionId, work, done, 1);
    }

    /** Whether every deregistration started so far is done, waiting up to {@code timeout} for them. */
    boolean await(Duration timeout) {
        var all = CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new));
        try {
            all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How many are not done yet. */
    int pending() {
        return pending.size();
    }

    private void attempt(String connectionId, Runnable work, CompletableFuture<Void> done, int attempt) {
        CompletableFuture<Void> run;
        try {
            run = aws.submit(work);
        } catch (RejectedExecutionException e) {
            return; // the node has stopped: its lease runs out and a survivor's sweep finishes this
        }
        var unused = run.whenComplete((ok, failure) -> {
            if (failure == null) {
                pending.remove(connectionId, done);
                done.complete(null);
                return;
            }
            var backoff = Math.min(MAX_BACKOFF_MILLIS, 250L << Math.min(attempt, 7));
            LOG.log(
                    Level.WARNING,
                    "deregister failed connectionId={0} attempt={1}, retrying in {2} ms: {3}",
                    connectionId,
                    String.valueOf(attempt),
                    String.valueOf(backoff),
                    failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage());
            try {
                var unusedRetry = timer.schedule(
                        () -> attempt(connectionId, work, done, attempt + 1), backoff, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // the node has stopped: a survivor's sweep finishes it
            }
        });
    }
}
