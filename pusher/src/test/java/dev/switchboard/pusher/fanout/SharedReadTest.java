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

    @Test
    void aReadIsReusedWithinItsWindowAndNeverPastIt() {
        var reads = new AtomicInteger();
        var window = Duration.ofSeconds(30);
        var read = new SharedRead<>(Duration.ZERO, window, reads::incrementAndGet);

        var first = read.get();
        for (var i = 0; i < 100; i++) {
            assertThat(read.get()).as("within the window").isEqualTo(first);
        }
        assertThat(reads).hasValue(1);

        var expiring = new SharedRead<>(Duration.ZERO, Duration.ofNanos(1), reads::incrementAndGet);
        var before = reads.get();
        var a = expiring.get();
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() - deadline < 0 && expiring.get().equals(a)) {
            Thread.onSpinWait(); // a nanosecond's window: the next call past it reads again
        }
        assertThat(reads.get()).as("read again past the window").isGreaterThan(before + 1);
    }

    @Test
    void aFailedReadIsNeverReused() {
        var calls = new AtomicInteger();
        var read = new SharedRead<>(Duration.ZERO, Duration.ofSeconds(30), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("throttled");
            }
            return calls.get();
        });

        assertThatThrownBy(read::get).isInstanceOf(IllegalStateException.class);
        assertThat(read.get()).isEqualTo(2);
        assertThat(read.get()).as("the good read is reused").isEqualTo(2);
    }
}
