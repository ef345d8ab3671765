package dev.switchboard.pusher.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedReadTest {
    @Test
    void eachCallerGetsAReadStartedAfterItAskedAndReadsNeverOverlap() throws Exception {
        var started = new AtomicInteger();
        var running = new AtomicInteger();
        var overlapped = new AtomicInteger();
        var read = new SharedRead<>(Duration.ZERO, () -> {
            if (running.incrementAndGet() > 1) {
                overlapped.incrementAndGet();
            }
            var number = started.incrementAndGet();
            Thread.yield();
            running.decrementAndGet();
            return number;
        });
        var calls = 2_000;
        try (var threads = Executors.newFixedThreadPool(8)) {
            var checks = new ArrayList<Future<Boolean>>();
            for (var i = 0; i < calls; i++) {
                checks.add(threads.submit(() -> {
                    var before = started.get();
                    return read.get() > before; // a read numbered after every read started before the call
                }));
            }
            for (var check : checks) {
                assertThat(check.get()).as("fresh").isTrue();
            }
        }
        assertThat(overlapped).as("one read at a time").hasValue(0);
        assertThat(started.get()).as("reads shared by callers").isLessThan(calls);
    }

    @Test
    void aFailedReadFailsItsCallersAndTheNextCallReadsAgain() {
        var calls = new AtomicInteger();
        var read = new SharedRead<>(Duration.ofMillis(5), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("throttled");
            }
            return "fine";
        });

        assertThatThrownBy(read::get).isInstanceOf(IllegalStateException.class).hasMessage("throttled");
        assertThat(read.get()).isEqualTo("fine");
    }
}
