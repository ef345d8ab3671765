package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmulatorsExtension.class)
class ConnectionRegistryIT {
    private final RegistryFixture fixture;
    private final ConnectionRegistry registry;

    ConnectionRegistryIT(Emulators emulators, TestNames names) {
        this.fixture = new RegistryFixture(emulators, names, 1000);
        this.registry = fixture.node();
    }

    @Test
    void aRegisteredConnectionIsFoundByIdByUserAndByNode() {
        var connection = fixture.connection("c1", "alice", "n1");

        registry.connections().register(connection);

        assertThat(registry.connections().connection("c1")).contains(connection);
        assertThat(registry.connections().connectionsOf("alice")).containsExactly(connection.target());
        assertThat(registry.connections().connectionsOfNode("n1")).containsExactly(connection.target());
        assertThat(registry.presence().connectionCount("alice")).isEqualTo(1);
    }

    @Test
    void onlyTheUsersFirstConnectionIsOnlineAndRegisteringAgainChangesNothing() {
        var first = registry.connections().register(fixture.connection("c1", "alice", "n1"));
        var again = registry.connections().register(fixture.connection("c1", "alice", "n1"));
        var second = registry.connections().register(fixture.connection("c2", "alice", "n2"));

        assertThat(first).hasValueSatisfying(c -> assertThat(c.status()).isEqualTo(PresenceChange.Status.ONLINE));
        assertThat(again).isEmpty();
        assertThat(second).isEmpty();
        assertThat(registry.presence().connectionCount("alice")).isEqualTo(2);
    }

    @Test
    void onlyTheUsersLastConnectionLeavingIsOfflineAndDeregisteringAgainChangesNothing() {
        registry.connections().register(fixture.connection("c1", "alice", "n1"));
        registry.connections().register(fixture.connection("c2", "alice", "n2"));

        var firstGone = registry.connections().deregister("c1");
        var lastGone = registry.connections().deregister("c2");
        var again = registry.connections().deregister("c2");

        assertThat(firstGone).isEmpty();
        assertThat(lastGone).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo(PresenceChange.Status.OFFLINE);
            assertThat(c.version()).as("the user's second transition").isEqualTo(2);
        });
        assertThat(again).isEmpty();
    }

    @Test
    void deregisterLeavesNoItemOfTheConnectionBehind() {
        var connection = fixture.connection("c1", "alice", "n1");
        registry.connections().register(connection);
        registry.topics().subscribe(connection, List.of("room-a", "room-b", "room-c"));

        registry.connections().deregister("c1");

        assertThat(fixture.tableItems())
                .allSatisfy(item -> assertThat(item.get(Items.SK).s()).doesNotStartWith("conn#"));
        assertThat(registry.topics().subscribersOf("room-a")).isEmpty();
        assertThat(registry.connections().connection("c1")).isEmpty();
        assertThat(registry.connections().connectionsOf("alice")).isEmpty();
    }

    @Test
    void subscribeAndUnsubscribeAreIdempotent() {
        var one = fixture.connection("c1", "alice", "n1");
        var two = fixture.connection("c2", "bob", "n2");
        registry.connections().register(one);
        registry.connections().register(two);

        registry.topics().subscribe(one, List.of("room", "room"));
        registry.topics().subscribe(one, List.of("room"));
        registry.topics().subscribe(two, List.of("room"));
        registry.topics().unsubscribe("c2", List.of("room", "never-subscribed"));
        registry.topics().unsubscribe("c2", List.of("room"));

        assertThat(registry.topics().subscribersOf("room")).containsExactly(one.target());
    }

    @Test
    void itemsWhoseTtlHasPassedAreAbsentThoughDynamoDbHasNotDeletedThem() {
        var connection = fixture.connection("c1", "alice", "n1");
        registry.connections().register(connection);
        registry.topics().subscribe(connection, List.of("room"));

        fixture.clock.advance(fixture.settings.connectionTtl().plusSeconds(1));

        assertThat(fixture.tableItems()).isNotEmpty();
        assertThat(registry.topics().subscribersOf("room")).isEmpty();
        assertThat(registry.connections().connectionsOf("alice")).isEmpty();
        assertThat(registry.connections().connection("c1")).isEmpty();
        assertThat(registry.presence().connectionCount("alice")).isZero();
    }

    @Test
    void aRefreshedConnectionOutlivesItsFirstTtl() {
        var connection = fixture.connection("c1", "alice", "n1");
        registry.connections().register(connection);
        registry.topics().subscribe(connection, List.of("room"));

        fixture.clock.advance(fixture.settings.connectionTtl().dividedBy(2));
        registry.connections().refresh(List.of("c1"));
        fixture.clock.advance(fixture.settings.connectionTtl().dividedBy(2).plusSeconds(1));

        assertThat(registry.topics().subscribersOf("room")).containsExactly(connection.target());
        assertThat(registry.connections().connection("c1")).isPresent();
    }

    @Test
    void everyItemIsInTheIndexSoNoneIsLostToASparseIndex() {
        var connection = fixture.connection("c1", "alice", "n1");
        registry.nodes().heartbeat("n1", connection.endpoint());
        registry.connections().register(connection);
        registry.topics().subscribe(connection, List.of("room-a", "room-b"));

        var table = fixture.tableItems();

        assertThat(table).hasSizeGreaterThanOrEqualTo(6);
        assertThat(fixture.indexItems()).hasSameSizeAs(table);
    }

    @Test
    void everyoneIsGroupedByNodeOnRecord() {
        registry.nodes().heartbeat("n1", "http://n1:8081");
        registry.nodes().heartbeat("n2", "http://n2:8081");
        registry.connections().register(fixture.connection("c1", "alice", "n1"));
        registry.connections().register(fixture.connection("c2", "bob", "n2"));
        registry.connections().register(fixture.connection("c3", "carol", "n2"));

        var everyone = registry.connections().everyone();

        assertThat(everyone.keySet()).extracting(Node::id).containsExactlyInAnyOrder("n1", "n2");
        assertThat(everyone.values().stream().flatMap(List::stream))
                .extracting(Target::connectionId)
                .containsExactlyInAnyOrder("c1", "c2", "c3");
    }

    @Test
    void subscribersBeyondOnePageAreAllReturned(Emulators emulators, TestNames names) {
        var paged = new RegistryFixture(emulators, names, 10).node();
        var ids = IntStream.range(0, 35).mapToObj(i -> "c" + i).toList();
        for (var id : ids) {
            paged.topics().subscribe(fixture.connection(id, "u" + id, "n1"), List.of("busy"));
        }

        assertThat(paged.topics().subscribersOf("busy"))
                .extracting(Target::connectionId)
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aNodesConnectionsBeyondOneMegabyteAreAllReturned() {
        // 300 connections with 4 KB of claims each: about 1.2 MB, more than one Query page can hold.
        var claims = Map.of("profile", "x".repeat(4000));
        var ids = IntStream.range(0, 300).mapToObj(i -> "c" + i).toList();
        for (var id : ids) {
            var c = fixture.connection(id, "u" + id, "big");
            registry.connections()
                    .register(new Connection(c.id(), c.userId(), c.nodeId(), c.endpoint(), c.connectedAt(), claims));
        }

        var before = registry.capacity().snapshot().get("read:connectionsOfNode");
        var found = registry.connections().connectionsOfNode("big");

        assertThat(found).extracting(Target::connectionId).containsExactlyInAnyOrderElementsOf(ids);
        var read = registry.capacity().snapshot().get("read:connectionsOfNode").readUnits()
                - (before == null ? 0 : before.readUnits());
        // 1.2 MB at 4 KB per unit, halved for eventual consistency: > 128 units means more than 1 MB was read.
        assertThat(read).isGreaterThan(128);
    }

    @Test
    void aDeadNodeIsFoundWithItsConnectionsAndItsUsersGoOfflineOnceWhenCleanedUp() {
        var survivor = fixture.node();
        var doomed = fixture.node();
        doomed.nodes().heartbeat("n1", "http://n1:8081");
        survivor.nodes().heartbeat("n2", "http://n2:8081");
        doomed.connections().register(fixture.connection("c1", "alice", "n1"));
        doomed.connections().register(fixture.connection("c2", "bob", "n1"));
        survivor.connections().register(fixture.connection("c3", "bob", "n2"));

        fixture.clock.advance(fixture.settings.nodeLease().plusSeconds(1));
        survivor.nodes().heartbeat("n2", "http://n2:8081");

        assertThat(survivor.nodes().dead()).extracting(Node::id).containsExactly("n1");
        assertThat(survivor.nodes().live()).extracting(Node::id).containsExactly("n2");
        var changes = survivor.connections().connectionsOfNode("n1").stream()
                .map(target -> survivor.connections().deregister(target.connectionId()))
                .flatMap(java.util.Optional::stream)
                .toList();
        survivor.nodes().forget("n1");

        assertThat(changes).containsExactly(new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2));
        assertThat(survivor.presence().connectionCount("bob")).isEqualTo(1);
        assertThat(survivor.nodes().dead()).isEmpty();
        assertThat(survivor.connections().connectionsOfNode("n1")).isEmpty();
    }

    @Test
    void aNodeLeaseRunsForTheConfiguredTime() {
        var node = registry.nodes().heartbeat("n1", "http://n1:8081");

        assertThat(node.leaseUntil()).isEqualTo(fixture.clock.instant().plus(fixture.settings.nodeLease()));
        fixture.clock.advance(fixture.settings.nodeLease().minus(Duration.ofMillis(1)));
        assertThat(registry.nodes().live()).extracting(Node::id).containsExactly("n1");
    }

    @Test
    void twoSurvivorsSweepingADeadNodeAtOnceAnnounceEachChangeOnce() throws Exception {
        var doomed = fixture.node();
        doomed.nodes().heartbeat("n1", "http://n1:8081");
        var users = IntStream.range(0, 20).mapToObj(i -> "user" + i).toList();
        for (var user : users) {
            doomed.connections().register(fixture.connection("c-" + user, user, "n1"));
        }
        fixture.clock.advance(fixture.settings.nodeLease().plusSeconds(1));

        var one = CompletableFuture.supplyAsync(() -> fixture.node().nodes().sweepDead());
        var two = CompletableFuture.supplyAsync(() -> fixture.node().nodes().sweepDead());
        var changes = new ArrayList<>(one.get(60, TimeUnit.SECONDS));
        changes.addAll(two.get(60, TimeUnit.SECONDS));

        // Only one of them holds the sweep. The dead node never announced its users' ONLINE (it registered them
        // without an announcer): the sweep owes and announces it, before the OFFLINE it makes.
        var expected = users.stream()
                .flatMap(user -> java.util.stream.Stream.of(
                        new PresenceChange(user, PresenceChange.Status.ONLINE, 1),
                        new PresenceChange(user, PresenceChange.Status.OFFLINE, 2)))
                .toList();
        assertThat(changes).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(registry.nodes().dead()).isEmpty();
        assertThat(fixture.tableItems())
                .allSatisfy(item -> assertThat(item.get(Items.SK).s()).doesNotStartWith("conn#"));
    }

    @Test
    void aFailureSurfacesAsARegistryExceptionNamingTheOperationAndTable(Emulators emulators) {
        var missing =
                new ConnectionRegistry(emulators.dynamoDbClient(), RegistrySettings.of("no-such-table"), fixture.clock);

        assertThatThrownBy(() -> missing.topics().subscribersOf("room"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("subscribersOf")
                .hasMessageContaining("no-such-table");
        assertThatThrownBy(() -> missing.connections().register(fixture.connection("c1", "alice", "n1")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("register")
                .hasMessageContaining("no-such-table");
    }

    @Test
    void eachNodeRecordsItsSubscriberCountPerTopicAndASweepForgetsADeadNodes() {
        registry.topics().topicSubscribers("room", "n1", "http://n1:8081", 2);
        registry.topics().topicSubscribers("room", "n2", "http://n2:8081", 1);
        registry.topics().topicSubscribers("room", "n2", "http://n2:8081", 3);
        registry.topics().subscribe(fixture.connection("c1", "alice", "n1"), List.of("room"));

        assertThat(registry.topics().nodesOf("room"))
                .containsExactlyInAnyOrder(
                        new TopicNode("n1", "http://n1:8081", 2), new TopicNode("n2", "http://n2:8081", 3));
        assertThat(registry.topics().subscribersOf("room"))
                .extracting(Target::connectionId)
                .containsExactly("c1");

        registry.topics().topicSubscribers("room", "n2", "http://n2:8081", 0);
        registry.nodes().heartbeat("n1", "http://n1:8081");
        fixture.clock.advance(fixture.settings.nodeLease().plusSeconds(1));
        registry.nodes().sweepDead();

        assertThat(registry.topics().nodesOf("room")).isEmpty();
    }
}
