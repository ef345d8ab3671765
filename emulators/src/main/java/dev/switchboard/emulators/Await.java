package dev.switchboard.emulators;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits on a condition with a deadline, for tests: never sleep to synchronize, ask until the answer is right. Each
 * probe may itself block (a long poll, say); between probes it pauses briefly.
 */
public final class Await {
    private static final Duration PAUSE = Duration.ofMillis(20);

    private Await() {}

    /**
     * Probes until {@code done} accepts the probe's value, and returns that value.
     *
     * @throws AssertionError naming {@code what} and the last value when the deadline passes first
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + value);
            }
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
