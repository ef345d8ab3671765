package dev.switchboard.registry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * The read and write capacity units each registry operation consumed, as DynamoDB reported them
 * (ReturnConsumedCapacity). Thread-safe.
 */
public final class CapacityMeter {
    /** What one operation consumed in all its calls so far. */
    public record Usage(long calls, double readUnits, double writeUnits) {}

    private static final class Counter {
        final LongAdder calls = new LongAdder();
        final DoubleAdder read = new DoubleAdder();
        final DoubleAdder write = new DoubleAdder();
    }

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    void call(String operation) {
        counter(operation).calls.increment();
    }

    void add(String operation, ConsumedCapacity capacity) {
        if (capacity == null) {
            return;
        }
        var counter = counter(operation);
        var read = capacity.readCapacityUnits();
        var write = capacity.writeCapacityUnits();
        var total = capacity.capacityUnits();
        // DynamoDB reports reads and writes separately only for some calls; a lone total is what the call was.
        if (read == null && write == null && total != null) {
            if (operation.startsWith("read:")) {
                counter.read.add(total);
            } else {
                counter.write.add(total);
            }
            return;
        }
        counter.read.add(read == null ? 0 : read);
        counter.write.add(write == null ? 0 : write);
    }

    void add(String operation, List<ConsumedCapacity> capacities) {
        if (capacities != null) {
            capacities.forEach(c -> add(operation, c));
        }
    }

    /** The usage of every operation so far, by name ({@code read:subscribersOf}, {@code write:register}, …). */
    public Map<String, Usage> snapshot() {
        var snapshot = new TreeMap<String, Usage>();
        counters.forEach((name, c) -> snapshot.put(name, new Usage(c.calls.sum(), c.read.sum(), c.write.sum())));
        return snapshot;
    }

    private Counter counter(String operation) {
        return counters.computeIfAbsent(operation, name -> new Counter());
    }
}
