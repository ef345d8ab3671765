package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.registry.TopicNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several gateway nodes in one JVM sharing one DynamoDB table, the queue and the topic: they act as one. */
@ExtendWith(EmulatorsExtension.class)
class ClusterIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Map<String, String> FAST = Map.of(
            "PRESENCE_TARGET", "topic", "NODE_HEARTBEAT", "PT0.5S", "NODE_LEASE", "PT2S", "NODE_SWEEP", "PT0.5S");

    private final List<GatewayFixture> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(GatewayFixture::close);
    }

    private GatewayFixture node(Emulators emulators, TestNames names) {
        return node(emulators, names, Map.of());
    }

    private GatewayFixture node(Emulators emulators, TestNames names, Map<String, String> overrides) {
        var settings = new HashMap<>(FAST);
        settings.putAll(overrides);
        var node = new GatewayFixture(emulators, names, settings, nodes.isEmpty() ? null : nodes.getFirst());
        nodes.add(node);
        return node;
    }

    @Test
    void aStuckNodeStallsNoOtherAndWhatIsQueuedForItIsBounded(Emulators emulators, TestNames names) throws Exception {
        var settings = Map.of("TOPICS_RELAY_MAX_BYTES", "262144", "LIMITS_RATE", "100000", "LIMITS_BURST", "100000");
        var a = node(emulators, names, settings);
        var b = node(emulators, names, settings);
        var room = names.unique("room");
        // A node that accepts the relay's connection and then never reads or answers.
        try (var stuck = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                var reader = b.connect(names.unique("reader"));
                var publisher = a.connect(names.unique("publisher"))) {
            var held = new java.util.concurrent.CopyOnWriteArrayList<java.net.Socket>();
            Thread.ofVirtual().start(() -> {
                while (!stuck.isClosed()) {
                    try {
                        held.add(stuck.accept());
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            a.registry.topics().topicSubscribers(room, "stuck", "http://127.0.0.1:" + stuck.getLocalPort(), 5);
            reader.send("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
            reader.pingForConnectionId();
            var pad = "p".repeat(2000);

            for (var i = 0; i < 200; i++) {
                publisher.send(
                        "{\"type\":\"publish\",\"topic\":\"" + room + "\",\"n\":" + i + ",\"pad\":\"" + pad + "\"}");
            }

            for (var i = 0; i < 200; i++) {
                assertThat(reader.next("publish").path("n").asInt()).isEqualTo(i);
            }
            assertThat(BackpressureIT.metrics(a))
                    .containsPattern("switchboard_output_failures_total\\{output=\"node\",?} [1-9]");
            for (var socket : held) {
                socket.close();
            }
        }
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
                    "three nodes holding subscribers",
                    DEADLINE,
                    () -> one.registry.topics().nodesOf(room),
                    n -> n.size() == 3);

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
                    "only the first node on the topic",
                    DEADLINE,
                    () -> one.registry.topics().nodesOf(room),
                    n -> n.size() == 1);
            assertThat(one.registry.topics().nodesOf(room))
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
        Await.until(
                "the first connection gone",
                DEADLINE,
                () -> one.registry.connections().connectionsOf(user),
                c -> c.size() == 1);
        second.close();
        Await.until("both gone", DEADLINE, () -> one.registry.connections().connectionsOf(user), List::isEmpty);

        var statuses = one.presenceOf(user, 2);
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

        assertThat(survivor.registry.connections().connectionsOfNode(nodeId)).isNotEmpty();
        // Documented bound: the lease (2 s here) plus one sweep interval (0.5 s), plus the sweep's own time.
        Await.until(
                "the dead node swept",
                Duration.ofSeconds(10),
                () -> survivor.registry.connections().connectionsOfNode(nodeId),
                List::isEmpty);
        assertThat(survivor.presenceOf(user, 2)).containsExactly("ONLINE", "OFFLINE");
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
        var secondTab = leaving.connect(user); // the drain takes both of the user's connections in one update
        secondTab.pingForConnectionId();
        // Peers gone without a close handshake: closing them fails, which must not stop the drain of the rest.
        for (var i = 0; i < 5; i++) {
            var vanished = leaving.connect(names.unique("vanished"));
            vanished.pingForConnectionId();
            vanished.abort();
        }
        var nodeId = leaving.server.gateway().settings().nodeId();

        leaving.server.stop();

        assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(secondTab.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(staying.registry.connections().connectionsOfNode(nodeId)).isEmpty();
        assertThat(staying.registry.connections().connectionsOf(user)).isEmpty();
        assertThat(staying.registry.topics().nodesOf(room)).isEmpty();
        assertThat(staying.registry.nodes().live()).extracting(n -> n.id()).doesNotContain(nodeId);
        assertThat(staying.presenceOf(user, 2)).containsExactly("ONLINE", "OFFLINE");
    }

    @Test
    void aDrainThatBeginsWhileConnectionsRegisterLeavesNothingBehind(Emulators emulators, TestNames names)
            throws Exception {
        var staying = node(emulators, names);
        var leaving = node(emulators, names);
        var nodeId = leaving.server.gateway().settings().nodeId();
        var users = new ArrayList<String>();
        for (var i = 0; i < 8; i++) {
            users.add(names.unique("user"));
        }
        var clients = new ConcurrentLinkedQueue<TestClient>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Handshakes answered before their registrations are written: some are in flight when the drain begins.
            for (var i = 0; i < 40; i++) {
                var user = users.get(i % users.size());
                threads.execute(() -> {
                    try {
                        clients.add(leaving.connect(user));
                    } catch (AssertionError | RuntimeException refusedDuringTheDrain) {
                        // a handshake after the drain began is refused (503)
                    }
                });
            }
            Await.until("the first handshakes", Duration.ofSeconds(10), clients::size, n -> n >= 10);
            leaving.server.stop();
        }

        assertThat(staying.registry.connections().connectionsOfNode(nodeId)).isEmpty();
        for (var user : users) {
            assertThat(staying.registry.connections().connectionsOf(user))
                    .as(user)
                    .isEmpty();
            assertThat(staying.registry.presence().connectionCount(user))
                    .as(user)
                    .isZero();
        }
    }

    @Test
    void racingSubscribesAndUnsubscribesOnTwoNodesLeaveExactCountsAndDeliveries(Emulators emulators, TestNames names)
            throws Exception {
        // No topic cache: this test is about the registry's counts under races, not the documented cache window.
        var one = node(emulators, names, Map.of("TOPICS_CACHE", "PT0S"));
        var two = node(emulators, names, Map.of("TOPICS_CACHE", "PT0S"));
        var room = names.unique("room");
        var subscribe = "{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}";
        var unsubscribe = "{\"type\":\"unsubscribe\",\"topics\":[\"" + room + "\"]}";
        var clients = new ArrayList<TestClient>();
        for (var i = 0; i < 12; i++) {
            clients.add((i % 2 == 0 ? one : two).connect("user" + i));
        }
        // Each client flips its subscription a random number of times, all at once; odd flips end subscribed.
        var random = new Random(42);
        var flips = clients.stream().map(c -> 1 + random.nextInt(12)).toList();
        var tasks = new ArrayList<Future<?>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var i = 0; i < clients.size(); i++) {
                var client = clients.get(i);
                var count = flips.get(i);
                tasks.add(threads.submit(() -> {
                    for (var flip = 0; flip < count; flip++) {
                        client.send(flip % 2 == 0 ? subscribe : unsubscribe);
                    }
                    return client.pingForConnectionId();
                }));
            }
        }
        for (var task : tasks) {
            task.get();
        }
        var subscribed = new ArrayList<TestClient>();
        var others = new ArrayList<TestClient>();
        for (var i = 0; i < clients.size(); i++) {
            (flips.get(i) % 2 == 1 ? subscribed : others).add(clients.get(i));
        }
        var expected = new HashMap<String, Integer>();
        for (var i = 0; i < clients.size(); i++) {
            if (flips.get(i) % 2 == 1) {
                expected.merge(
                        (i % 2 == 0 ? one : two).server.gateway().settings().nodeId(), 1, Integer::sum);
            }
        }
        Await.until(
                "per-node counts " + expected,
                DEADLINE,
                () -> one.registry.topics().nodesOf(room).stream()
                        .collect(Collectors.toMap(TopicNode::nodeId, TopicNode::subscribers)),
                expected::equals);
        assertThat(subscribed).isNotEmpty();

        subscribed.getFirst().send("{\"type\":\"publish\",\"topic\":\"" + room + "\",\"data\":\"x\"}");
        for (var client : subscribed) {
            assertThat(client.next("publish").path("clients").asInt()).isEqualTo(subscribed.size());
        }
        for (var client : others) {
            client.send("{\"type\":\"ping\"}");
            assertThat(client.next().path("type").asText()).isEqualTo("pong");
        }
        clients.forEach(TestClient::close);
    }

    @Test
    void concurrentConnectsAndDisconnectsOfUsersAcrossNodesAlternateOnlineAndOffline(
            Emulators emulators, TestNames names) throws Exception {
        var nodes = List.of(node(emulators, names), node(emulators, names), node(emulators, names));
        var users = Set.of(names.unique("ann"), names.unique("ben"), names.unique("cid"));
        // Per user, 4 sessions at once, each connecting 4 times to a random node: overlapping and gapped lives.
        var tasks = new ArrayList<Future<?>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var user : users) {
                for (var session = 0; session < 4; session++) {
                    var random = new Random(user.hashCode() * 31L + session);
                    tasks.add(threads.submit(() -> {
                        for (var life = 0; life < 4; life++) {
                            try (var client =
                                    nodes.get(random.nextInt(nodes.size())).connect(user)) {
                                client.pingForConnectionId();
                            }
                        }
                        return null;
                    }));
                }
            }
        }
        for (var task : tasks) {
            task.get();
        }
        var registry = nodes.getFirst().registry;
        for (var user : users) {
            Await.until(
                    user + " gone everywhere",
                    DEADLINE,
                    () -> registry.connections().connectionsOf(user),
                    List::isEmpty);
        }

        var statuses = nodes.getFirst().presence(users, all -> all.values().stream()
                .allMatch(s -> !s.isEmpty() && s.getLast().equals("OFFLINE") && s.size() % 2 == 0));
        for (var user : users) {
            var sequence = statuses.get(user);
            for (var i = 0; i < sequence.size(); i++) {
                assertThat(sequence.get(i))
                        .as("%s event %d of %s", user, i, sequence)
                        .isEqualTo(i % 2 == 0 ? "ONLINE" : "OFFLINE");
            }
        }
    }
}
