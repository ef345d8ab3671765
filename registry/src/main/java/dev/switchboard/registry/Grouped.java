package dev.switchboard.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Small calls of concurrent callers, grouped into shared batch calls (BatchWriteItem, SNS PublishBatch): at most
 * {@code inFlight} calls at a time, and whoever gets to make one takes every waiting group that fits in {@code
 * maxItems}, in the order they came. A caller returns once its own items went out (or throws what failed them), so
 * each caller's guarantee is what its own call would have given. A group holding a key already in the call waits for
 * the next one, so the calls of one key keep their order. No timer: groups form only while calls are in flight, so a
 * lone caller waits for nothing.
 *
 * @param <T> one item of a batch call
 */
public final class Grouped<T> {
    /** One batch call. */
    @FunctionalInterface
    public interface Call<T> {
        /**
         * Sends the items.
         *
         * @return the positions (in {@code items}) of those that were not sent, each with why; empty when all were
         * @throws RuntimeException when the whole call failed
         */
        Map<Integer, RuntimeException> send(List<T> items);
    }

    private final int maxItems;
    private final Semaphore calls;
    private final Function<T, Object> key;
    private final Call<T> call;
    private final ArrayDeque<Group<T>> waiting = new ArrayDeque<>();

    private static final class Group<T> {
        final List<T> items;
        final Set<Object> keys = new HashSet<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        boolean taken; // guarded by the queue's lock

        Group(List<T> items, Function<T, Object> key) {
            this.items = items;
            items.forEach(item -> keys.add(key.apply(item)));
        }
    }

    public Grouped(int maxItems, int inFlight, Function<T, Object> key, Call<T> call) {
        this.maxItems = maxItems;
        this.calls = new Semaphore(inFlight);
        this.key = key;
        this.call = call;
    }

    /**
     * Sends the items (at most {@code maxItems}) in a call shared with other callers' when they are waiting too.
     *
     * @throws RuntimeException what failed them: the call's exception, or the first of their own failures
     */
    public void send(List<T> items) {
        if (items.isEmpty()) {
            return;
        }
        if (items.size() > maxItems) {
            throw new IllegalArgumentException(items.size() + " items, more than a call takes (" + maxItems + ")");
        }
        var group = new Group<>(List.copyOf(items), key);
        synchronized (waiting) {
            waiting.add(group);
        }
        while (true) {
            calls.acquireUninterruptibly(); // a call under way is finished, not abandoned
            List<Group<T>> taken;
            try {
                taken = take(group);
                if (!taken.isEmpty()) {
                    make(taken);
                }
            } finally {
                calls.release();
            }
            if (taken.isEmpty() || taken.contains(group)) {
                break; // another caller's call carries it, or this one did
            }
        }
        try {
            group.done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Groups waiting now, for tests. */
    int waiting() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /** The next call's groups, from the head; empty when {@code mine} is already taken (by another call). */
    private List<Group<T>> take(Group<T> mine) {
        synchronized (waiting) {
            if (mine.taken) {
                return List.of();
            }
            var taken = new ArrayList<Group<T>>();
            var keys = new HashSet<>();
            var items = 0;
            for (var next = waiting.peek(); next != null; next = waiting.peek()) {
                if (items + next.items.size() > maxItems || next.keys.stream().anyMatch(keys::contains)) {
                    break;
                }
                waiting.poll();
                next.taken = true;
                taken.add(next);
                keys.addAll(next.keys);
                items += next.items.size();
            }
            return taken;
        }
    }

    private void make(List<Group<T>> taken) {
        var items = new ArrayList<T>();
        taken.forEach(group -> items.addAll(group.items));
        Map<Integer, RuntimeException> failed;
        try {
            failed = call.send(items);
        } catch (RuntimeException e) {
            taken.forEach(group -> group.done.completeExceptionally(e));
            return;
        }
        var from = 0;
        for (var group : taken) {
            RuntimeException failure = null;
            for (var i = from; i < from + group.items.size() && failure == null; i++) {
                failure = failed.get(i);
            }
            from += group.items.size();
            if (failure == null) {
                group.done.complete(null);
            } else {
                group.done.completeExceptionally(failure);
            }
        }
    }
}
