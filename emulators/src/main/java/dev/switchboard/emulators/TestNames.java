package dev.switchboard.emulators;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names no other test in this JVM uses, for tables, queues, topics and key prefixes, so tests can share the
 * emulators. Valid as DynamoDB table, SQS queue and SNS topic names.
 */
public final class TestNames {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** {@code base-<n>-<random hex>}, for example {@code notifications-7-3f9a2c}. */
    public String unique(String base) {
        return base + "-" + COUNTER.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    }
}
