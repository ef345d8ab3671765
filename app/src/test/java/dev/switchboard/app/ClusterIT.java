package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.registry.TopicNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several gateway nodes in one JVM sharing DynamoDB Local, the queue and the topic: they act as one. */
@ExtendWith(EmulatorsExtension.class)
class ClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Map<String, String> FAST = Map.of(
            "PRESENCE_TARGET", "topic", "NODE_HEARTBEAT", "PT0.5S", "NODE_LEASE", "PT2S", "NODE_SWEEP", "PT0.5S");

    private final List<GatewayFixture> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(GatewayFixture::close);
    }

    private GatewayFixture node(Emulators emulators, TestNames names) {
        var node = new GatewayFixture(emulators, names, FAST, nodes.isEmpty() ? null : nodes.getFirst());
        nodes.add(node);
        return node;
    }

    @Test
    void aTopicPublishCrossesNodesBothWaysWithEveryoneCountedInClients(Emulators emulators, TestNames names)
            throws Exception {
        var one = node(emulators, names);
        var two = node(emulators, names);
        var three = node(emulators, names);
        var room = names.unique("room");
        try (var a = one.connect("alice");
                var b = two.connect("bob");
                var c = three.connect("carol")) {
            for (var client : List.of(a, b, c)) {
                client.send("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
                client.pingForConnectionId();
            }
            Await.until(
                    "three nodes holding subscribers", DEADLINE, () -> one.registry.nodesOf(room), n -> n.size() == 3);

            a.send("{\"type\":\"publish\",\"topic\":\"" + room + "\",\"data\":{\"from\":\"a\"}}");
            for (var client : List.of(a, b, c)) {
                var frame = client.next("publish");
                assertThat(frame.path("data").path("from").asText()).isEqualTo("a");
                assertThat(frame.path("clients").asInt()).isEqualTo(3);
            }

            c.send("{\"type\":\"publish\",\"topic\":\"" + room + "\",\"data\":{\"from\":\"c\"}}");
            for (var client : List.of(a, b, c)) {
                assertThat(client.next("publish").path("data").path("from").asText())
                        .isEqualTo("c");
            }
        }
    }

    @Test
    void unsubscribingTheLastSubscriberOfANodeTakesTheNodeOffTheTopic(Emulators emulators, TestNames names)
            throws Exception {
        var one = node(emulators, names);
        var two = node(emulators, names);
        var room = names.unique("room");
        try (var a = one.connect("alice");
                var b = two.connect("bob")) {
            a.send("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
            b.send("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
            b.send("{\"type\":\"unsubscribe\",\"topics\":[\"" + room + "\"]}");
            a.pingForConnectionId();
            b.pingForConnectionId();

            Await.until(
                    "only the first node on the topic", DEADLINE, () -> one.registry.nodesOf(room), n -> n.size() == 1);
            assertThat(one.registry.nodesOf(room))
                    .extracting(TopicNode::subscribers)
                    .containsExactly(1);
        }
    }

    @Test
    void aUserOnTwoNodesIsOnlineOnceAndOfflineOnce(Emulators emulators, TestNames names) throws Exception {
        var one = node(emulators, names);
        var two = node(emulators, names);
        var user = names.unique("user");

        var first = one.connect(user);
        var second = two.connect(user);
        first.pingForConnectionId();
        second.pingForConnectionId();
        first.close();
        Await.until("the first connection gone", DEADLINE, () -> one.registry.connectionsOf(user), c -> c.size() == 1);
        second.close();
        Await.until("both gone", DEADLINE, () -> one.registry.connectionsOf(user), List::isEmpty);

        var statuses = presence(one, user, 2);
        assertThat(statuses).containsExactly("ONLINE", "OFFLINE");
    }

    @Test
    void aKilledNodesConnectionsAreSweptAndItsUsersGoOfflineWithinLeaseAndSweep(Emulators emulators, TestNames names)
            throws Exception {
        var survivor = node(emulators, names);
        var doomed = node(emulators, names);
        var user = names.unique("user");
        var client = doomed.connect(user);
        client.pingForConnectionId();
        var nodeId = doomed.server.gateway().settings().nodeId();

        doomed.server.abort();

        assertThat(survivor.registry.connectionsOfNode(nodeId)).isNotEmpty();
        // Documented bound: the lease (2 s here) plus one sweep interval (0.5 s), plus the sweep's own time.
        Await.until(
                "the dead node swept",
                Duration.ofSeconds(10),
                () -> survivor.registry.connectionsOfNode(nodeId),
                List::isEmpty);
        assertThat(presence(survivor, user, 2)).containsExactly("ONLINE", "OFFLINE");
    }

    @Test
    void aDrainClosesClientsWith1001AndLeavesNothingOfTheNodeBehind(Emulators emulators, TestNames names)
            throws Exception {
        var staying = node(emulators, names);
        var leaving = node(emulators, names);
        var room = names.unique("room");
        var user = names.unique("user");
        var client = leaving.connect(user);
        client.send("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
        client.pingForConnectionId();
        var nodeId = leaving.server.gateway().settings().nodeId();

        leaving.server.stop();

        assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(staying.registry.connectionsOfNode(nodeId)).isEmpty();
        assertThat(staying.registry.nodesOf(room)).isEmpty();
        assertThat(staying.registry.liveNodes()).extracting(n -> n.id()).doesNotContain(nodeId);
        assertThat(presence(staying, user, 2)).containsExactly("ONLINE", "OFFLINE");
    }

    /** The user's presence statuses on the messages topic, in version order, once {@code count} have arrived. */
    private static List<String> presence(GatewayFixture node, String user, int count) throws Exception {
        var events = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        Await.until(
                count + " presence events of " + user,
                DEADLINE,
                () -> node.emulators
                        .sqsClient()
                        .receiveMessage(b -> b.queueUrl(node.topicQueueUrl)
                                .waitTimeSeconds(1)
                                .maxNumberOfMessages(10))
                        .messages(),
                messages -> {
                    for (var m : messages) {
                        try {
                            var event = JSON.readTree(m.body());
                            if (user.equals(
                                    event.path("message").path("user_id").asText())) {
                                events.add(event.path("message"));
                            } else {
                                // Another test's event: leave it for that test.
                                node.emulators.sqsClient().changeMessageVisibility(b -> b.queueUrl(node.topicQueueUrl)
                                        .receiptHandle(m.receiptHandle())
                                        .visibilityTimeout(0));
                            }
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    return events.size() >= count;
                });
        return events.stream()
                .sorted(java.util.Comparator.comparingLong(
                        e -> e.path("version").asLong()))
                .map(e -> e.path("status").asText())
                .toList();
    }
}
