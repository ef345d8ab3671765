package dev.switchboard.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentRequestsTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void anIdIsARepeatWithinTheWindowAndNewAfterIt() {
        var recent = new RecentRequests(Duration.ofSeconds(10), 100, now::get);

        assertThat(recent.first("m1")).isTrue();
        assertThat(recent.first("m1")).isFalse();
        now.addAndGet(Duration.ofSeconds(11).toNanos());

        assertThat(recent.first("m1")).as("forgotten after the window").isTrue();
    }

    @Test
    void theOldestIdsAreForgottenPastTheCapacity() {
        var recent = new RecentRequests(Duration.ofHours(1), 3, now::get);
        for (var i = 0; i < 10; i++) {
            assertThat(recent.first("m" + i)).isTrue();
            now.incrementAndGet();
        }

        assertThat(recent.size()).isLessThanOrEqualTo(4);
        assertThat(recent.first("m9")).isFalse();
        assertThat(recent.first("m0")).as("forgotten: the oldest").isTrue();
    }
}
