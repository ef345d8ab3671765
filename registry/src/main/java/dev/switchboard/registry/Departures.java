package dev.switchboard.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A draining node's connections leaving the registry together: the node knows every item of each (its record, its
 * user entry, its subscriptions), so no Query is needed. Presence first, {@code parallelism} users at a time, each
 * user's connections leaving in one UpdateItem (per 50), its owed changes announced, then its connections' items
 * deleted in BatchWriteItems of 25. About one UpdateItem per user and one BatchWriteItem per 25 items, where
 * deregistering them one by one costs a Query, an UpdateItem and a BatchWriteItem per connection.
 */
final class Departures {
    /** A connection leaving, with the topics it is subscribed to on its node. */
    record Departure(Connection connection, Collection<String> topics) {}

    private final Announcements announcements;
    private final PresenceLedger presence;
    private final Items items;
    private final Batches batches;

    Departures(Announcements announcements, PresenceLedger presence, Items items, Batches batches) {
        this.announcements = announcements;
        this.presence = presence;
        this.items = items;
        this.batches = batches;
    }

    /** Returns the ids of the connections that did not leave (their presence or announcement failed): left as they were. */
    List<String> leave(Collection<Departure> departures, Announcer announcer, int parallelism) {
        var byUser = new LinkedHashMap<String, List<Departure>>();
        departures.forEach(d -> byUser.computeIfAbsent(d.connection().userId(), u -> new ArrayList<>())
                .add(d));
        var stayed = new ConcurrentLinkedQueue<String>();
        var permits = new Semaphore(Math.max(1, parallelism));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var user : byUser.entrySet()) {
                permits.acquireUninterruptibly();
                threads.execute(() -> {
                    var ids = user.getValue().stream()
                            .map(d -> d.connection().id())
                            .toList();
                    try {
                        for (var outcome : presence.leaveAll(user.getKey(), ids)) {
                            announcements.settle(user.getKey(), outcome, announcer);
                        }
                        batches.write(Operation.WRITE_DEREGISTER, deletes(user.getValue()));
                    } catch (RuntimeException e) {
                        stayed.addAll(ids);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        return List.copyOf(stayed);
    }

    /** Every item of these connections: record, user entry, one per topic. */
    private List<WriteRequest> deletes(List<Departure> departures) {
        var deletes = new ArrayList<WriteRequest>();
        for (var departure : departures) {
            var connection = departure.connection();
            var key = items.connectionKey(connection.id());
            deletes.add(Batches.delete(items.nodeKey(connection.nodeId()), key));
            deletes.add(Batches.delete(items.userKey(connection.userId()), key));
            departure.topics().forEach(topic -> deletes.add(Batches.delete(items.topicKey(topic), key)));
        }
        return deletes;
    }
}
