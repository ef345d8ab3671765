package dev.switchboard.app.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The ids of the requests this node delivered lately, so that a request redelivered by the queue (the pusher
 * retrying after a timeout, another pusher after a crash) does not reach the same connection twice. Bounded in
 * both time ({@code window}) and memory ({@code capacity} ids, the oldest forgotten first). Thread-safe.
 */
final class RecentRequests {
    private record Seen(String id, long atNanos) {}

    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Seen> order = new ConcurrentLinkedQueue<>();
    private final long windowNanos;
    private final int capacity;
    private final LongSupplier nanos;

    RecentRequests(Duration window, int capacity, LongSupplier nanos) {
        this.windowNanos = window.toNanos();
        this.capacity = capacity;
        this.nanos = nanos;
    }

    /** Whether the id is new (and now remembered); false when it was delivered within the window. */
    boolean first(String id) {
        var now = nanos.getAsLong();
        forgetOld(now);
        if (ids.putIfAbsent(id, now) != null) {
            return false;
        }
        order.add(new Seen(id, now));
        return true;
    }

    int size() {
        return ids.size();
    }

    private void forgetOld(long now) {
        for (var oldest = order.peek(); oldest != null; oldest = order.peek()) {
            if (ids.size() <= capacity && now - oldest.atNanos() <= windowNanos) {
                return;
            }
            if (order.remove(oldest)) {
                ids.remove(oldest.id(), oldest.atNanos());
            }
        }
    }
}
