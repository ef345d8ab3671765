package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Grouped} on its own: what a batch call's partial failure does to the callers it carried. */
class GroupedTest {
    @Test
    void aGroupFailsWhenOneOfItsItemsFailedAndTheOthersInTheCallSucceed() throws Exception {
        var calls = new ArrayList<List<String>>();
        var first = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var grouped = new Grouped<String>(10, 1, item -> item, items -> {
            synchronized (calls) {
                calls.add(items);
            }
            if (items.contains("held")) {
                first.countDown();
                await(release);
                return Map.of();
            }
            // Of [a1, a2, b1, c1]: a2 failed.
            return Map.of(items.indexOf("a2"), new IllegalStateException("a2 refused"));
        });
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var held = CompletableFuture.runAsync(() -> grouped.send(List.of("held")), callers);
            assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
            var a = CompletableFuture.runAsync(() -> grouped.send(List.of("a1", "a2")), callers);
            await(() -> grouped.waiting() == 1);
            var b = CompletableFuture.runAsync(() -> grouped.send(List.of("b1")), callers);
            await(() -> grouped.waiting() == 2);
            var c = CompletableFuture.runAsync(() -> grouped.send(List.of("c1")), callers);
            await(() -> grouped.waiting() == 3);
            release.countDown();

            held.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
            c.get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> a.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a2 refused");
        }
        assertThat(calls).containsExactly(List.of("held"), List.of("a1", "a2", "b1", "c1"));
    }

    @Test
    void moreItemsThanACallTakesAreRefusedAndNothingIsEverSentEmpty() {
        var grouped = new Grouped<String>(2, 1, item -> item, items -> {
            throw new AssertionError("no call expected: " + items);
        });
        grouped.send(List.of());
        assertThatThrownBy(() -> grouped.send(List.of("a", "b", "c"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        dev.switchboard.emulators.Await.until(
                "the callers waiting", java.time.Duration.ofSeconds(30), () -> condition.getAsBoolean(), done -> done);
    }
}
