package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A live node is never taken for dead, and a node that lost its lease anyway (its record deleted under it, as a
 * sweep of a paused node would) takes it back and sets its registry entries and presence right.
 */
@ExtendWith(EmulatorsExtension.class)
class NodeLeaseIT {
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Map<String, String> FAST = Map.of(
            "PRESENCE_TARGET", "topic",
            "NODE_HEARTBEAT", "PT0.2S",
            "NODE_LEASE", "PT1S",
            "NODE_SWEEP", "PT0.2S",
            "LIMITS_RATE", "100000",
            "LIMITS_BURST", "100000",
            "OUTBOUND_STALL", "PT60S",
            "OUTBOUND_MAX_BYTES", "67108864");

    @Test
    void aStalledClientForTwoLeasesDoesNotGetItsLiveNodeSwept(Emulators emulators, TestNames names) throws Exception {
        try (var a = new GatewayFixture(emulators, names, FAST);
                var b = new GatewayFixture(emulators, names, FAST, a)) {
            var room = names.unique("room");
            var user = names.unique("bystander");
            var stalledUser = names.unique("stalled");
            try (var bystander = a.connect(user);
                    var stalled =
                            RawClient.connect(a.server.port(), "/ws?authorization=" + a.token(stalledUser), 4096);
                    var publisher = a.connect(names.unique("publisher"))) {
                bystander.pingForConnectionId();
                stalled.sendText("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
                Await.until(
                        "subscribed",
                        Duration.ofSeconds(10),
                        () -> a.registry.topics().subscribersOf(room),
                        s -> !s.isEmpty());
                var big = "z".repeat(8000);
                var connection = a.server.gateway().hub().all().stream()
                        .filter(c -> c.userId().equals(stalledUser))
                        .findFirst()
                        .orElseThrow();
                Await.until(
                        "the stalled client's writer blocked",
                        Duration.ofSeconds(20),
                        () -> {
                            publisher.send("{\"type\":\"publish\",\"topic\":\"" + room + "\",\"pad\":\"" + big + "\"}");
                            return connection.stalledNanos(System.nanoTime());
                        },
                        stalledFor -> stalledFor > Duration.ofMillis(500).toNanos());

                var nodeId = a.server.gateway().settings().nodeId();
                var until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
                while (System.nanoTime() < until) {
                    assertThat(b.registry.nodes().live())
                            .extracting(n -> n.id())
                            .contains(nodeId);
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // sampling the lease for two leases
                }

                assertThat(connection.stalledNanos(System.nanoTime()))
                        .as("still stalled")
                        .isPositive();
                assertThat(a.registry.connections().connectionsOf(user)).hasSize(1);
                assertThat(a.registry.connections().connectionsOf(stalledUser)).hasSize(1);
                assertThat(a.presenceOf(user, 1)).as("no OFFLINE").containsExactly("ONLINE");
            }
        }
    }

    @Test
    void aNodeWhoseRecordIsDeletedUnderItTakesItsLeaseBackAndRegistersItsConnectionsAgain(
            Emulators emulators, TestNames names) throws Exception {
        try (var a = new GatewayFixture(emulators, names, FAST)) {
            var user = names.unique("alice");
            var room = names.unique("room");
            try (var client = a.connect(user)) {
                client.send("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
                var id = client.pingForConnectionId();
                var nodeId = a.server.gateway().settings().nodeId();
                // What a sweep of this node, taken for dead while it was paused, would do: its connection and
                // presence gone (OFFLINE announced), its topic entry and its record deleted.
                a.registry.connections().deregister(id, a.server.announcer());
                a.registry.topics().forgetTopicsOf(nodeId);
                a.registry.nodes().forget(nodeId);

                Await.until(
                        "the connection registered again",
                        Duration.ofSeconds(10),
                        () -> a.registry.connections().connectionsOf(user),
                        targets -> targets.size() == 1);
                Await.until(
                        "the subscription and the topic entry back",
                        Duration.ofSeconds(10),
                        () -> List.of(
                                a.registry.topics().subscribersOf(room).size(),
                                a.registry.topics().nodesOf(room).size()),
                        counts -> counts.equals(List.of(1, 1)));
                assertThat(a.registry.nodes().live()).extracting(n -> n.id()).containsExactly(nodeId);
                assertThat(a.registry.presence().connectionCount(user)).isEqualTo(1);
                assertThat(a.presenceOf(user, 3)).containsExactly("ONLINE", "OFFLINE", "ONLINE");
                client.send("{\"type\":\"ping\"}");
                assertThat(client.next("pong")).isNotNull(); // served all along
            }
        }
    }
}
