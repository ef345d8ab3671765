package dev.switchboard.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One operation's small writes, grouped across concurrent writers into shared BatchWriteItem calls (up to 25 items):
 * at most {@code inFlight} calls at a time, and whoever gets to make one takes every waiting group that fits, in the
 * order they came. A writer returns once its own items are written (or throws what failed their call), so each
 * writer's guarantee is what its own BatchWriteItem gave. A group whose keys meet a key already in the call waits
 * for the next, so writes of one key keep their order. No timer: groups form only while calls are in flight, so a
 * lone writer waits for nothing.
 */
final class GroupedWrites {
    private final Batches batches;
    private final Operation operation;
    private final Semaphore calls;
    private final ArrayDeque<Group> waiting = new ArrayDeque<>();

    private static final class Group {
        final List<WriteRequest> requests;
        final Set<String> keys;
        final CompletableFuture<Void> written = new CompletableFuture<>();
        boolean taken; // guarded by the queue's lock

        Group(List<WriteRequest> requests) {
            this.requests = requests;
            this.keys = new HashSet<>();
            requests.forEach(request -> keys.add(key(request)));
        }
    }

    GroupedWrites(Batches batches, Operation operation, int inFlight) {
        this.batches = batches;
        this.operation = operation;
        this.calls = new Semaphore(inFlight);
    }

    /**
     * Writes the requests, in a call shared with other writers' when they are waiting too.
     *
     * @throws RegistryException when the call that carried them failed
     */
    void write(List<WriteRequest> requests) {
        if (requests.isEmpty()) {
            return;
        }
        if (requests.size() > Batches.MAX_BATCH) {
            batches.write(operation, requests);
            return;
        }
        var group = new Group(requests);
        synchronized (waiting) {
            waiting.add(group);
        }
        while (true) {
            try {
                calls.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(operation + ": interrupted while waiting to write " + requests.size()
                        + " items (they may still be written)");
            }
            List<Group> call;
            try {
                call = take(group);
                if (!call.isEmpty()) {
                    send(call);
                }
            } finally {
                calls.release();
            }
            if (call.isEmpty() || call.contains(group)) {
                break; // another writer's call carries it, or this one did
            }
        }
        try {
            group.written.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RegistryException r ? r : new RegistryException(operation + ": " + e, e);
        }
    }

    /** Groups waiting now, for tests. */
    int waiting() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /** The next call's groups, from the head; empty when {@code mine} is already taken (by another call). */
    private List<Group> take(Group mine) {
        synchronized (waiting) {
            if (mine.taken) {
                return List.of();
            }
            var call = new ArrayList<Group>();
            var keys = new HashSet<String>();
            var items = 0;
            for (var next = waiting.peek(); next != null; next = waiting.peek()) {
                if (items + next.requests.size() > Batches.MAX_BATCH
                        || next.keys.stream().anyMatch(keys::contains)) {
                    break;
                }
                waiting.poll();
                next.taken = true;
                call.add(next);
                keys.addAll(next.keys);
                items += next.requests.size();
            }
            return call;
        }
    }

    private void send(List<Group> call) {
        var requests = new ArrayList<WriteRequest>();
        call.forEach(group -> requests.addAll(group.requests));
        try {
            batches.write(operation, requests);
        } catch (RuntimeException e) {
            call.forEach(group -> group.written.completeExceptionally(e));
            return;
        }
        call.forEach(group -> group.written.complete(null));
    }

    private static String key(WriteRequest request) {
        var key = request.putRequest() != null
                ? request.putRequest().item()
                : request.deleteRequest().key();
        return key.get(Items.PK) + "\u0000" + key.get(Items.SK); // an item without its key fails in DynamoDB, not here
    }
}
