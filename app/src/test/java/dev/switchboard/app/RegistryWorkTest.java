package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RegistryWorkTest {
    private final AwsCalls aws = new AwsCalls(2);
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final RegistryWork work = new RegistryWork(aws, timer);

    @AfterEach
    void stop() {
        aws.shutdown(Duration.ofSeconds(5));
        timer.shutdownNow();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the old race spun without end
    void workThatEndsAtOnceLeavesNothingForADrainToWaitFor() {
        // A no-op ends on the AWS thread before its caller has registered what follows it: the race that once left
        // a completed entry behind, so that a drain's await spun until the process was killed.
        for (var round = 0; round < 2_000; round++) {
            var key = "topic:" + (round % 7);
            work.start(key, "nothing", () -> {});
            var unused = work.runOnce(key, () -> {});
            assertThat(work.await(Duration.ofSeconds(5))).as("round %d", round).isTrue();
            assertThat(work.busy(key)).as("round %d", round).isFalse();
        }
    }

    @Test
    void workForOneKeyRunsInTheOrderAskedAndAwaitWaitsForAllOfIt() {
        var order = new ArrayList<Integer>();
        var ran = new AtomicInteger();
        for (var i = 0; i < 50; i++) {
            var n = i;
            Runnable step = () -> {
                synchronized (order) {
                    order.add(n);
                }
                ran.incrementAndGet();
            };
            if (i % 2 == 0) {
                work.start("connection", "step", step);
            } else {
                var unused = work.runOnce("connection", step);
            }
        }

        assertThat(work.await(Duration.ofSeconds(10))).isTrue();
        assertThat(ran).hasValue(50);
        assertThat(order)
                .isEqualTo(java.util.stream.IntStream.range(0, 50).boxed().toList());
    }

    @Test
    void awaitGivesUpAtItsDeadlineWhenWorkNeverEnds() {
        var release = new java.util.concurrent.CountDownLatch(1);
        work.start("stuck", "held", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThat(work.await(Duration.ofMillis(200))).isFalse();
        assertThat(work.busy("stuck")).isTrue();
        release.countDown();
        assertThat(work.await(Duration.ofSeconds(10))).isTrue();
        assertThat(work.busy("stuck")).isFalse();
    }
}
