package dev.switchboard.pusher.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Await;
import dev.switchboard.pusher.fanout.FanOut;
import dev.switchboard.pusher.metrics.PusherMetrics;
import dev.switchboard.pusher.request.RequestParser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer over a queue in memory: how each message is settled, bounded and released, without SQS. */
class QueueConsumerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String REQUEST = "{\"users\":[\"alice\"],\"data\":{\"hello\":1}}";
    private static final FanOut.Outcome DELIVERED = new FanOut.Outcome(1, 1, 0, 0, Optional.empty());
    private static final FanOut.Outcome FAILED = new FanOut.Outcome(1, 0, 0, 1, Optional.of("node n1 did not answer"));

    private final MemoryQueue queue = new MemoryQueue();
    private final PusherMetrics metrics = new PusherMetrics(() -> 0);
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private QueueConsumer consumer;

    private QueueConsumer consumer(int maxInFlight, Duration visibility, QueueConsumer.Handler handler) {
        consumer = new QueueConsumer(
                queue,
                visibility,
                Duration.ofMillis(200),
                Duration.ofMillis(300),
                maxInFlight,
                new RequestParser(new ObjectMapper(), 1024),
                handler,
                metrics);
        consumer.start(2);
        return consumer;
    }

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
    }

    private String count(String outcome) {
        return "switchboard_pusher_messages_total{outcome=\"" + outcome + "\"} ";
    }

    @Test
    void aDeliveredMessageIsDeleted() {
        consumer(10, Duration.ofSeconds(30), (id, request) -> {
            handled.add(id + " " + request.users());
            return DELIVERED;
        });

        var id = queue.send(REQUEST);

        Await.until("deleted", DEADLINE, () -> queue.deleted, deleted -> deleted.contains(id));
        assertThat(handled).containsExactly(id + " [alice]");
        assertThat(metrics.scrape()).contains(count("delivered") + "1.0");
    }

    @Test
    void aRequestThatCanNeverBeDeliveredIsDeadLetteredWithItsReasonAndDeleted() {
        consumer(10, Duration.ofSeconds(30), (id, request) -> DELIVERED);

        var id = queue.send("{\"users\":[\"alice\"]}");

        Await.until("deleted", DEADLINE, () -> queue.deleted, deleted -> deleted.contains(id));
        assertThat(queue.deadLettered).containsExactly(id + ": no data");
        assertThat(metrics.scrape()).contains(count("refused") + "1.0");
    }

    @Test
    void aRefusedRequestStaysInTheQueueWhileItsDeadLetterQueueCannotBeLookedUp() {
        queue.deadLetterQueueLookupFails = true;
        consumer(10, Duration.ofSeconds(30), (id, request) -> DELIVERED);

        queue.send("not JSON");

        Await.until("refused", DEADLINE, metrics::scrape, text -> text.contains(count("refused") + "1.0"));
        Await.until("settled", DEADLINE, consumer::inFlight, inFlight -> inFlight == 0);
        consumer.close(); // every delete asked for is made by now
        assertThat(queue.deadLettered).isEmpty();
        assertThat(queue.deleted).isEmpty();
    }

    @Test
    void aMessageWhoseFanOutFailedIsLeftAndComesBackAfterItsVisibility() {
        var attempts = new AtomicInteger();
        consumer(10, Duration.ofMillis(400), (id, request) -> attempts.incrementAndGet() == 1 ? FAILED : DELIVERED);

        var id = queue.send(REQUEST);

        Await.until("deleted after the second try", DEADLINE, () -> queue.deleted, deleted -> deleted.contains(id));
        assertThat(attempts).hasValue(2);
        assertThat(queue.received()).isEqualTo(2);
        assertThat(metrics.scrape()).contains(count("retried") + "1.0").contains(count("delivered") + "1.0");
    }

    @Test
    void noMoreMessagesThanMaxInFlightAreReceivedAtOnce() throws Exception {
        var inProgress = new AtomicInteger();
        var gate = new CountDownLatch(1);
        // All there before the first receive: a receive waits for room for a full one (here 2), so two arrive at once.
        for (var i = 0; i < 5; i++) {
            queue.send(REQUEST);
        }
        consumer(2, Duration.ofSeconds(30), (id, request) -> {
            inProgress.incrementAndGet();
            gate.await();
            return DELIVERED;
        });

        Await.until("two in progress", DEADLINE, inProgress::get, n -> n == 2);
        assertThat(queue.received()).as("no room for a third").isEqualTo(2);
        gate.countDown();

        Await.until("all five deleted", DEADLINE, () -> queue.deleted, deleted -> deleted.size() == 5);
        assertThat(queue.received()).isEqualTo(5);
    }

    @Test
    void aMessageStillInFlightAtTheShutdownDeadlineIsReleasedAndNeverDeleted() throws Exception {
        var gate = new CountDownLatch(1);
        var finished = new CountDownLatch(1);
        consumer(10, Duration.ofSeconds(30), (id, request) -> {
            try {
                handled.add(id);
                gate.await();
                return DELIVERED;
            } finally {
                finished.countDown();
            }
        });
        var id = queue.send(REQUEST);
        Await.until("in progress", DEADLINE, () -> handled, h -> h.contains(id));

        consumer.close();
        gate.countDown();
        finished.await();

        assertThat(queue.released)
                .as("given back, maybe again by a long poll that caught it")
                .containsOnly(id);
        assertThat(metrics.scrape()).doesNotContain(count("released") + "0.0");
        Await.until("settled", DEADLINE, consumer::inFlight, n -> n == 0);
        assertThat(queue.deleted).isEmpty();
    }
}
