package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A draining node's connections leaving together: each user's presence once, every item gone, nothing lost. */
@ExtendWith(EmulatorsExtension.class)
class DeparturesIT {
    private final RegistryFixture fixture;
    private final ConnectionRegistry registry;

    DeparturesIT(Emulators emulators, TestNames names) {
        this.fixture = new RegistryFixture(emulators, names, 100);
        this.registry = fixture.node();
    }

    @Test
    void eachUserGoesOfflineOnceAndEveryItemOfTheNodeIsGone() {
        var leaving = new LinkedHashMap<Connection, List<String>>();
        for (var i = 0; i < 3; i++) {
            leaving.put(
                    registered("a" + i, "alice", "n1", List.of("room", "alice-only")), List.of("room", "alice-only"));
        }
        leaving.put(registered("b0", "bob", "n1", List.of("room")), List.of("room"));
        leaving.put(registered("c0", "carol", "n1", List.of()), List.of());
        registered("c1", "carol", "n2", List.of("room")); // carol stays online through n2
        var announced = new ConcurrentLinkedQueue<PresenceChange>();

        var stayed = registry.connections().deregisterAll(leaving, announced::add, 4);

        assertThat(stayed).isEmpty();
        assertThat(announced)
                .containsExactlyInAnyOrder(
                        new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2),
                        new PresenceChange("bob", PresenceChange.Status.OFFLINE, 2));
        assertThat(registry.connections().connectionsOf("alice")).isEmpty();
        assertThat(registry.connections().connectionsOf("bob")).isEmpty();
        assertThat(registry.connections().connectionsOf("carol"))
                .extracting(Target::connectionId)
                .containsExactly("c1");
        assertThat(registry.topics().subscribersOf("room"))
                .extracting(Target::connectionId)
                .containsExactly("c1");
        assertThat(registry.topics().subscribersOf("alice-only")).isEmpty();
        assertThat(registry.connections().connectionsOfNode("n1")).isEmpty();
        assertThat(registry.presence().connectionCount("carol")).isEqualTo(1);
    }

    @Test
    void aUserWithMoreConnectionsThanOneUpdateTakesGoesOfflineOnce() {
        var leaving = new LinkedHashMap<Connection, List<String>>();
        var count = PresenceLedger.GROUP * 2 + 7;
        for (var i = 0; i < count; i++) {
            leaving.put(registered("a" + i, "alice", "n1", List.of()), List.of());
        }
        var announced = new ArrayList<PresenceChange>();

        assertThat(registry.connections().deregisterAll(leaving, announced::add, 4))
                .isEmpty();

        assertThat(announced).containsExactly(new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2));
        assertThat(registry.connections().connectionsOf("alice")).isEmpty();
    }

    @Test
    void connectionsAlreadyGoneOrNeverRecordedDoNotKeepTheOthersFromLeaving() {
        var leaving = new LinkedHashMap<Connection, List<String>>();
        leaving.put(registered("a0", "alice", "n1", List.of("room")), List.of("room"));
        leaving.put(registered("a1", "alice", "n1", List.of()), List.of());
        leaving.put(fixture.connection("a2", "alice", "n1"), List.of("room")); // its registration never happened
        var gone = registered("a3", "alice", "n1", List.of());
        registry.connections().deregister("a3", Announcer.NONE); // ended meanwhile
        leaving.put(gone, List.of());
        var announced = new ArrayList<PresenceChange>();

        assertThat(registry.connections().deregisterAll(leaving, announced::add, 4))
                .isEmpty();

        assertThat(announced).containsExactly(new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2));
        assertThat(registry.connections().connectionsOf("alice")).isEmpty();
        assertThat(registry.topics().subscribersOf("room")).isEmpty();
    }

    @Test
    void usersWhoseOfflineCouldNotBeAnnouncedKeepTheirItemsAndStayOwed() {
        var leaving = new LinkedHashMap<Connection, List<String>>();
        leaving.put(registered("a0", "alice", "n1", List.of("room")), List.of("room"));
        leaving.put(registered("b0", "bob", "n1", List.of("room")), List.of("room"));
        var announced = new ConcurrentLinkedQueue<PresenceChange>();
        Announcer bobFails = change -> {
            if (change.userId().equals("bob")) {
                throw new IllegalStateException("SNS is down");
            }
            announced.add(change);
        };

        var stayed = registry.connections().deregisterAll(leaving, bobFails, 4);

        assertThat(stayed).containsExactly("b0");
        assertThat(registry.connections().connectionsOf("alice")).isEmpty();
        assertThat(registry.topics().subscribersOf("room"))
                .extracting(Target::connectionId)
                .containsExactly("b0");

        registry.connections().deregister("b0", announced::add); // the retry, one by one
        assertThat(announced)
                .containsExactlyInAnyOrder(
                        new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2),
                        new PresenceChange("bob", PresenceChange.Status.OFFLINE, 2));
        assertThat(registry.topics().subscribersOf("room")).isEmpty();
    }

    @Test
    void aConnectionWhoseItemsAreGoneStillLeavesPresenceWhenItsUserIsKnown() {
        var connection = registered("a0", "alice", "n1", List.of());
        // Its items deleted under it: a drain's batch that overtook its registration, or expiry.
        var items = new Items(fixture.settings.prefix());
        for (var pk : List.of(items.nodeKey("n1"), items.userKey("alice"))) {
            fixture.emulators.dynamoDbClient().deleteItem(b -> b.tableName(fixture.settings.table())
                    .key(Items.key(pk, items.connectionKey("a0"))));
        }
        var announced = new ArrayList<PresenceChange>();

        registry.connections().deregister("a0", announced::add);
        assertThat(registry.presence().connectionCount("alice"))
                .as("by id alone: its user is unknown")
                .isEqualTo(1);
        registry.connections().deregister(connection, announced::add);

        assertThat(registry.presence().connectionCount("alice")).isZero();
        assertThat(announced).containsExactly(new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2));
    }

    private Connection registered(String id, String user, String node, List<String> topics) {
        var connection = fixture.connection(id, user, node);
        registry.connections().register(connection, Announcer.NONE);
        if (!topics.isEmpty()) {
            registry.topics().subscribe(connection, topics);
        }
        return connection;
    }
}
