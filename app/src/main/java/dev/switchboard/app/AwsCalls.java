package dev.switchboard.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the blocking AWS SDK calls made for clients (registry writes, outputs) on a few shared platform threads, while
 * the client's own virtual thread waits. The SDK and the XML and JSON parsers under it keep per-thread buffers in
 * ThreadLocals; made on a connection's virtual thread, which lives as long as the connection, each call left about
 * 15 KB of buffers behind per idle connection (heap histogram, docs/benchmarks.md). The threads time out when idle.
 */
final class AwsCalls {
    private final ThreadPoolExecutor threads;

    AwsCalls(int threads) {
        this.threads = new ThreadPoolExecutor(
                threads,
                threads,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name("aws-call-", 0).daemon().factory());
        this.threads.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code call} on a shared thread and returns what it returns, or throws what it throws (every failure here
     * is unchecked: the registry's and the outputs' exceptions are).
     */
    <T> T call(Supplier<T> call) {
        var future = threads.submit(call::get);
        try {
            return future.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException unchecked -> throw unchecked;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an AWS call", e);
        }
    }

    /** Runs {@code call} on a shared thread without waiting for it: what it throws completes the future. */
    CompletableFuture<Void> submit(Runnable call) {
        return CompletableFuture.runAsync(call, threads);
    }

    /** Stops taking calls once those queued have run; waits up to {@code timeout} for them. */
    void shutdown(java.time.Duration timeout) {
        threads.shutdown();
        try {
            threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** As {@link #call}, for calls without a result. */
    void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }
}
