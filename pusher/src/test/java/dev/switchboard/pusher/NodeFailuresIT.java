package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.registry.Connection;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.Node;
import dev.switchboard.registry.Nodes;
import dev.switchboard.registry.RegistrySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What per-node delivery does when a gateway node fails: killed with SIGKILL in the middle of a fan-out, or late with
 * its lease. The nodes here never sweep on their own (NODE_SWEEP one hour): the test sweeps, as a surviving node's
 * sweeper would, when it wants the registry to say a node is gone — so a late node stays late for as long as the test
 * needs.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeFailuresIT {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final int MESSAGES = 30;

    private PushStack stack;

    @BeforeAll
    void start(Emulators emulators, TestNames names, @TempDir Path directory) {
        stack = new PushStack(
                emulators,
                names,
                directory,
                2,
                Map.of("NODE_HEARTBEAT", "PT1S", "NODE_LEASE", "PT3S", "NODE_SWEEP", "PT1H"));
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void aNodeKilledMidFanOutLosesTheOtherNodesNothingAndNoConnectionGetsARequestTwice(TestNames names)
            throws Exception {
        var queues = stack.queues(names, 50);
        var user = names.unique("ann");
        var topic = names.unique("room");
        try (var userHere = stack.connect(user, 0);
                var userThere = stack.connect(user, 1);
                var subscriberHere = stack.subscribed(names.unique("ben"), 0, topic);
                var subscriberThere = stack.subscribed(names.unique("cat"), 1, topic)) {
            stack.pusher(queues, Map.of("DELIVERY_TIMEOUT", "PT1S", "NOTIFICATIONS_VISIBILITY", "PT2S"));
            for (var i = 0; i < MESSAGES; i++) {
                queues.send(
                        i % 2 == 0
                                ? "{\"users\":[\"" + user + "\"],\"data\":" + i + "}"
                                : "{\"topics\":[\"" + topic + "\"],\"data\":" + i + "}");
            }
            var killed = stack.nodes.get(1);
            var firstHere = userHere.next().asInt();
            killed.kill(); // SIGKILL, in the middle of the fan-out: some messages are done, some are not
            var killedId = stack.nodeId(1);

            // The killed node is still on record: what it owed comes back, again and again, until it is swept.
            Await.until(
                    "the killed node's lease run out",
                    DEADLINE,
                    () -> stack.registry.nodes().live(),
                    nodes -> nodes.stream().map(Node::id).noneMatch(killedId::equals));
            stack.registry.nodes().sweepDead();

            var toUser = new HashSet<Integer>();
            toUser.add(firstHere);
            var toSubscriber = new HashSet<Integer>();
            while (toUser.size() < MESSAGES / 2) {
                assertThat(toUser.add(userHere.next().asInt())).as("each once").isTrue();
            }
            while (toSubscriber.size() < MESSAGES / 2) {
                assertThat(toSubscriber.add(subscriberHere.next().asInt()))
                        .as("each once")
                        .isTrue();
            }
            assertThat(toUser).allMatch(n -> n % 2 == 0);
            assertThat(toSubscriber).allMatch(n -> n % 2 == 1);
            Await.until("the queue empty", DEADLINE, queues::pending, n -> n == 0);
            assertThat(queues.deadLetters(Duration.ZERO)).as("nothing given up").isEmpty();
            assertThat(userHere.receivesWithin(Duration.ofMillis(300)))
                    .as("nothing twice")
                    .isFalse();
            assertThat(subscriberHere.receivesWithin(Duration.ofMillis(1))).isFalse();
        }
    }

    @Test
    void aNodeWhoseLeaseIsLateStillGetsItsDeliveries(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        var node = names.unique("late-node");
        var user = names.unique("dan");
        // A node whose last heartbeat granted one second: late a second later, and not swept here.
        var shortLeases = new ConnectionRegistry(
                stack.emulators.dynamoDbClient(),
                RegistrySettings.of(stack.table).withNodeLease(Duration.ofSeconds(1)),
                Clock.systemUTC());
        try (var late = new FakeNode()) {
            late.release(); // answers at once
            shortLeases.nodes().heartbeat(node, late.endpoint().toString());
            Thread.sleep(Nodes.JOIN_GRACE); // the node contract (a gateway waits as long), not a synchronization
            stack.registry
                    .connections()
                    .register(new Connection(
                            names.unique("conn"), user, node, late.endpoint().toString(), Instant.now(), Map.of()));
            Await.until("the node late", DEADLINE, () -> stack.registry.nodes().live(), nodes -> nodes.stream()
                    .map(Node::id)
                    .noneMatch(node::equals));
            assertThat(stack.registry.nodes().all()).extracting(Node::id).contains(node);
            try (var onALiveNode = stack.connect(user, 0)) {
                stack.pusher(queues, Map.of());
                queues.send("{\"users\":[\"" + user + "\"],\"data\":\"late\"}");

                assertThat(onALiveNode.next().asText()).isEqualTo("late");
                Await.until("the late node asked too", DEADLINE, late::dataPosted, data -> data.contains("\"late\""));
                Await.until("the queue empty", DEADLINE, queues::pending, n -> n == 0);
            }
        } finally {
            stack.registry.nodes().forget(node);
        }
    }
}
