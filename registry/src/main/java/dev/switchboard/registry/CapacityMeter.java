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

    void call(Operation operation) {
        counter(operation).calls.increment();
    }

    /** Capacity a read call consumed (DynamoDB reports some calls as a lone total). */
    void read(Operation operation, ConsumedCapacity capacity) {
        if (capacity != null) {
            var units = capacity.readCapacityUnits() != null ? capacity.readCapacityUnits() : capacity.capacityUnits();
            counter(operation).read.add(units == null ? 0 : units);
        }
    }

    /** Capacity a write call consumed, its index writes included. */
    void write(Operation operation, ConsumedCapacity capacity) {
        if (capacity != null) {
            var units =
                    capacity.writeCapacityUnits() != null ? capacity.writeCapacityUnits() : capacity.capacityUnits();
            counter(operation).write.add(units == null ? 0 : units);
        }
    }

    void write(Operation operation, List<ConsumedCapacity> capacities) {
        if (capacities != null) {
            capacities.forEach(c -> write(operation, c));
        }
    }

    /** The usage of every operation so far, by name ({@code read:subscribersOf}, {@code write:register}, …). */
    public Map<String, Usage> snapshot() {
        var snapshot = new TreeMap<String, Usage>();
        counters.forEach((name, c) -> snapshot.put(name, new Usage(c.calls.sum(), c.read.sum(), c.write.sum())));
        return snapshot;
    }

    private Counter counter(Operation operation) {
        return counters.computeIfAbsent(operation.label(), name -> new Counter());
    }
}
