package dev.switchboard.pusher.fanout;

import dev.switchboard.pusher.request.NotificationRequest;
import dev.switchboard.registry.Target;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * One notification request, fanned out: its targets resolved in the registry (users' connections, topics'
 * subscribers, or everyone, node by node — never a Scan), de-duplicated, the excluded users left out, then posted
 * through {@link Posts}; connections found gone (410) are removed from the registry. Shared by the queue consumer
 * and the Lambda handler; its registry and its posts are seams ({@link Directory}, {@link Posts}), so FanOutTest tries
 * it in memory. Thread-safe.
 */
public final class FanOut {
    /**
     * What one request came to; {@link #complete()} when nothing failed, so the message may be deleted.
     *
     * @param targets the connections (per connection) or nodes (per node) it went to
     * @param gone connections found gone (410 from the API, or closed by their node as too slow) or nodes no longer
     *     on record
     */
    public record Outcome(int targets, int delivered, int gone, int failed, Optional<String> failure) {
        public boolean complete() {
            return failed == 0;
        }
    }

    private static final System.Logger LOG = System.getLogger(FanOut.class.getName());
    private static final int LOOKUPS_IN_PARALLEL = 16;

    private final Directory directory;
    private final Posts posts;
    private final Optional<NodeFanOut> perNode;

    /** @param perNode when present, requests go to each node once ({@link NodeFanOut}) instead of per connection */
    public FanOut(Directory directory, Posts posts, Optional<NodeFanOut> perNode) {
        this.directory = directory;
        this.posts = posts;
        this.perNode = perNode;
    }

    /** Fans out the request with this id (its SQS message id): per node when so configured, else per connection. */
    public Outcome fanOut(String id, NotificationRequest request) throws InterruptedException {
        return perNode.isPresent() ? perNode.get().fanOut(id, request) : fanOut(request);
    }

    /**
     * Fans out the request per connection. A target whose node does not answer fails the request, whatever its
     * node's lease says: the message comes back and is resolved again, and only the registry (a sweep, a 410) makes
     * a connection gone.
     */
    public Outcome fanOut(NotificationRequest request) throws InterruptedException {
        return deliver(resolve(request), request.data());
    }

    /**
     * Posts {@code data} to each target and removes those found gone from the registry: a request's last step, and
     * the serverless gateway's topic publish (app-lambda), which resolves its subscribers itself.
     */
    public Outcome deliver(Collection<Target> targets, String data) throws InterruptedException {
        var report = posts.deliver(targets, data);
        prune(report.gone());
        return new Outcome(
                targets.size(), report.delivered(), report.gone().size(), report.failed(), report.firstFailure());
    }

    /** The request's connections, each once, without the excluded users'. */
    Collection<Target> resolve(NotificationRequest request) throws InterruptedException {
        var found = new LinkedHashMap<String, Target>();
        if (request.broadcast()) {
            directory
                    .everyone(posts.throughApiGateway())
                    .forEach(targets -> targets.forEach(t -> found.putIfAbsent(t.connectionId(), t)));
        } else {
            var lookups = new ArrayList<Supplier<List<Target>>>();
            request.users().forEach(user -> lookups.add(() -> directory.connectionsOf(user)));
            request.topics().forEach(topic -> lookups.add(() -> directory.subscribersOf(topic)));
            for (var targets : inParallel(lookups)) {
                targets.forEach(t -> found.putIfAbsent(t.connectionId(), t));
            }
        }
        if (!request.excludeUsers().isEmpty()) {
            found.values().removeIf(t -> request.excludeUsers().contains(t.userId()));
        }
        return found.values();
    }

    /** Runs the registry lookups, {@value #LOOKUPS_IN_PARALLEL} at a time; a single one on this thread. */
    private static List<List<Target>> inParallel(List<Supplier<List<Target>>> lookups) throws InterruptedException {
        if (lookups.size() == 1) {
            return List.of(lookups.getFirst().get());
        }
        var permits = new Semaphore(LOOKUPS_IN_PARALLEL);
        var results = new ArrayList<List<Target>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<List<Target>>>();
            for (var lookup : lookups) {
                futures.add(threads.submit(() -> {
                    permits.acquire();
                    try {
                        return lookup.get();
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (var future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        return results;
    }

    /**
     * Removes connections the API reported gone, all at once; a failure here is logged, never the request's
     * failure (the connection's TTL, or the next 410, removes it later).
     */
    private void prune(List<String> gone) {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var connectionId : gone) {
                threads.execute(() -> {
                    try {
                        directory.forget(connectionId);
                        LOG.log(Level.INFO, "stale connection removed connectionId={0}", connectionId);
                    } catch (RuntimeException e) {
                        LOG.log(
                                Level.WARNING,
                                "stale connection not removed connectionId={0}: {1}",
                                connectionId,
                                e.getMessage());
                    }
                });
            }
        }
    }
}
