package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.pusher.consumer.QueueConsumer;
import dev.switchboard.registry.Connection;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pusher end to end: ghosts pruned on 410 (per connection), nodes down, malformed requests, two pushers,
 * stopping (per node, the default); with real WebSocket clients on two real gateway nodes (own processes). The
 * shapes: {@link DeliveryShapes}.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PusherIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private PushStack stack;

    @BeforeAll
    void start(Emulators emulators, TestNames names, @TempDir Path directory) {
        stack = new PushStack(emulators, names, directory, 2);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void aConnectionItsNodeNoLongerHasIsRemovedFromTheRegistryAndIsNoFailure(TestNames names) {
        var queues = stack.queues(names, 5);
        stack.pusher(queues, Map.of("DELIVERY_PER", "connection"));
        var user = names.unique("ghost");
        var ghost = names.unique("conn");
        stack.registry
                .connections()
                .register(new Connection(
                        ghost, user, stack.nodeId(0), stack.managementUrl(0).toString(), Instant.now(), Map.of()));

        queues.send("{\"users\":[\"" + user + "\"],\"data\":1}");

        Await.until(
                "the ghost removed",
                DEADLINE,
                () -> stack.registry.connections().connection(ghost),
                c -> c.isEmpty());
        Await.until("the message deleted", DEADLINE, queues::pending, n -> n == 0);
        assertThat(queues.deadLetters(Duration.ZERO)).isEmpty();
    }

    @Test
    void aNodeThatIsDownIsRetriedThenTheMessageIsRedeliveredThenDeadLettered(TestNames names) throws Exception {
        var queues = stack.queues(names, 2);
        stack.pusher(queues, Map.of("NOTIFICATIONS_VISIBILITY", "PT2S"));
        var user = names.unique("hal");
        var down = "http://127.0.0.1:" + freePort();
        var node = names.unique("down-node");
        try (var standIn = stack.standIn(node, down)) {
            stack.registry
                    .connections()
                    .register(new Connection(names.unique("conn"), user, node, down, Instant.now(), Map.of()));

            queues.send("{\"users\":[\"" + user + "\"],\"data\":1}");

            var dead = Await.until(
                    "the message dead-lettered",
                    DEADLINE,
                    () -> queues.deadLetters(Duration.ofSeconds(1)),
                    m -> !m.isEmpty());
            assertThat(dead.getFirst().body()).contains(user);
            assertThat(queues.pending()).isZero();
        }
    }

    @Test
    void malformedRequestsAreDeadLetteredWithTheReasonAndNeverDelivered(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        stack.pusher(queues, Map.of("LIMITS_FRAME_BYTES", "64"));
        var user = names.unique("ivy");
        try (var client = stack.connect(user, 0)) {
            queues.send("not json");
            queues.send("{\"users\":\"" + user + "\",\"data\":1}");
            queues.send("{\"users\":[\"" + user + "\"]}");
            queues.send("{\"users\":[\"" + user + "\"],\"data\":\"" + "x".repeat(100) + "\"}");

            var reasons = new ArrayList<String>();
            Await.until("four dead letters", DEADLINE, () -> queues.deadLetters(Duration.ofSeconds(1)), messages -> {
                messages.forEach(m -> reasons.add(m.messageAttributes()
                        .get(QueueConsumer.REFUSAL_ATTRIBUTE)
                        .stringValue()));
                return reasons.size() >= 4;
            });
            assertThat(reasons)
                    .anyMatch(r -> r.startsWith("not JSON"))
                    .anyMatch(r -> r.contains("users is not an array"))
                    .anyMatch(r -> r.equals("no data"))
                    .anyMatch(r -> r.contains("a client frame takes at most 64"));
            Await.until("the queue empty", DEADLINE, queues::pending, n -> n == 0);
            assertThat(client.receivesWithin(Duration.ofMillis(200))).isFalse();
        }
    }

    @Test
    void twoPushersOnOneQueueDeliverEveryMessageExactlyOnce(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        stack.pusher(queues, Map.of());
        stack.pusher(queues, Map.of());
        var user = names.unique("jay");
        try (var client = stack.connect(user, 1)) {
            for (var i = 0; i < 60; i++) {
                queues.send("{\"users\":[\"" + user + "\"],\"data\":" + i + "}");
            }

            var received = new HashSet<Integer>();
            for (var i = 0; i < 60; i++) {
                assertThat(received.add(client.next().asInt())).as("each once").isTrue();
            }
            assertThat(received).hasSize(60);
            Await.until("the queue empty", DEADLINE, queues::pending, n -> n == 0);
            assertThat(client.receivesWithin(Duration.ofMillis(300))).isFalse();
        }
    }

    @Test
    void stoppingReleasesInFlightMessagesToTheQueueAtOnce(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        var pusher = stack.pusher(
                queues,
                Map.of("NOTIFICATIONS_VISIBILITY", "PT60S", "NOTIFICATIONS_WAIT", "PT1S", "SHUTDOWN_DEADLINE", "PT3S"));
        var node = names.unique("slow-node");
        try (var slow = new FakeNode();
                var standIn = stack.standIn(node, slow.endpoint().toString())) {
            var user = names.unique("kim");
            stack.registry
                    .connections()
                    .register(new Connection(
                            names.unique("conn"), user, node, slow.endpoint().toString(), Instant.now(), Map.of()));
            queues.send("{\"users\":[\"" + user + "\"],\"data\":\"held\"}");
            Await.until("the post held by the node", DEADLINE, () -> slow.posts, posts -> !posts.isEmpty());

            pusher.stop();

            // Back on the queue well before its 60 s visibility would have run out.
            var again = Await.until(
                    "the message visible again",
                    Duration.ofSeconds(15),
                    () -> stack.emulators
                            .sqsClient()
                            .receiveMessage(b -> b.queueUrl(queues.queueUrl).waitTimeSeconds(1))
                            .messages(),
                    m -> !m.isEmpty());
            assertThat(again.getFirst().body()).contains("held");
        }
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
