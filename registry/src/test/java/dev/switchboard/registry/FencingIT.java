package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Leases that fence: no live node is swept, a swept node finds out and takes its lease back, an id left by a dead
 * run is cleaned before it is used again; and presence changes that could not be announced stay owed until they are.
 */
@ExtendWith(EmulatorsExtension.class)
class FencingIT {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Announcer FAILING = change -> {
        throw new IllegalStateException("SNS is down");
    };

    private final RegistryFixture fixture;
    private final ConnectionRegistry registry;

    FencingIT(Emulators emulators, TestNames names) {
        this.fixture = new RegistryFixture(emulators, names, 100);
        this.registry = fixture.node();
    }

    @Test
    void aNodeThatRenewedAfterASweeperReadItsLeaseIsNotSwept() {
        var lease = registry.nodes().claim("n1", "http://n1:8081", PATIENCE, Announcer.NONE);
        registry.connections().register(fixture.connection("c1", "alice", "n1"));
        fixture.clock.advance(fixture.settings.nodeLease().plusSeconds(1));
        var leases = new Leases(
                fixture.emulators.dynamoDbClient(),
                fixture.settings,
                new Items(fixture.settings.prefix()),
                new CapacityMeter(),
                fixture.clock);
        var readBySweeper = leases.record("n1").orElseThrow();

        assertThat(registry.nodes().renew(lease, "http://n1:8081")).isPresent(); // late, but before the claim

        assertThat(leases.claimSweep(readBySweeper, "sweeper")).isFalse();
        fixture.node().nodes().sweepDead();
        assertThat(registry.connections().connectionsOf("alice")).hasSize(1);
    }

    @Test
    void aSweptNodeLearnsItAtItsNextRenewalAndTakesItsLeaseBack() {
        var lease = registry.nodes().claim("n1", "http://n1:8081", PATIENCE, Announcer.NONE);
        registry.connections().register(fixture.connection("c1", "alice", "n1"));
        fixture.clock.advance(fixture.settings.nodeLease().plusSeconds(1));
        fixture.node().nodes().sweepDead(); // the node was paused past its lease; a survivor swept it

        assertThat(registry.nodes().renew(lease, "http://n1:8081")).isEmpty();

        var back = registry.nodes().reclaim("n1", "http://n1:8081", PATIENCE);
        assertThat(back.epoch()).isNotEqualTo(lease.epoch());
        assertThat(registry.nodes().renew(back, "http://n1:8081")).isPresent();
        assertThat(registry.nodes().live()).extracting(Node::id).containsExactly("n1");
    }

    @Test
    void aNodeWhoseRecordWasDeletedLearnsItAtItsNextRenewal() {
        var lease = registry.nodes().claim("n1", "http://n1:8081", PATIENCE, Announcer.NONE);

        registry.nodes().forget("n1");

        assertThat(registry.nodes().renew(lease, "http://n1:8081")).isEmpty();
        assertThat(registry.nodes().reclaim("n1", "http://n1:8081", PATIENCE).nodeId())
                .isEqualTo("n1");
    }

    @Test
    void aLiveNodesIdCannotBeClaimedByASecondNode() {
        registry.nodes().claim("n1", "http://n1:8081", PATIENCE, Announcer.NONE);

        assertThatThrownBy(() -> fixture.node().nodes().claim("n1", "http://other:8081", PATIENCE, Announcer.NONE))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("held by a live node");
    }

    @Test
    void aRestartedNodeFirstSweepsWhatItsEarlierRunLeftAndAnnouncesIt() {
        registry.nodes().claim("n1", "http://n1:8081", PATIENCE, Announcer.NONE);
        registry.connections().register(fixture.connection("c1", "alice", "n1"), Announcer.NONE);
        fixture.clock.advance(fixture.settings.nodeLease().plusSeconds(1)); // it died; nobody swept yet
        var announced = new ConcurrentLinkedQueue<PresenceChange>();

        var lease = fixture.node().nodes().claim("n1", "http://n1:8081", PATIENCE, announced::add);

        assertThat(lease.nodeId()).isEqualTo("n1");
        assertThat(registry.connections().connectionsOf("alice")).isEmpty();
        assertThat(announced).containsExactly(new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2));
        assertThat(registry.nodes().live()).extracting(Node::id).containsExactly("n1");
    }

    @Test
    void anOnlineThatCouldNotBeAnnouncedStaysOwedUntilItIs() {
        assertThatThrownBy(() -> registry.connections().register(fixture.connection("c1", "alice", "n1"), FAILING))
                .isInstanceOf(PresenceOwedException.class)
                .satisfies(e -> assertThat(((PresenceOwedException) e).userId()).isEqualTo("alice"));
        assertThat(registry.connections().connectionsOf("alice")).hasSize(1); // recorded all the same

        var announced = new ArrayList<PresenceChange>();
        registry.presence().announceOwed("alice", announced::add);
        registry.presence().announceOwed("alice", announced::add); // nothing owed any more

        assertThat(announced).containsExactly(new PresenceChange("alice", PresenceChange.Status.ONLINE, 1));
    }

    @Test
    void aDeregistrationWhoseOfflineCouldNotBeAnnouncedKeepsItsItemsForARetry() {
        registry.connections().register(fixture.connection("c1", "alice", "n1"), Announcer.NONE);

        assertThatThrownBy(() -> registry.connections().deregister("c1", FAILING))
                .isInstanceOf(PresenceOwedException.class);
        assertThat(registry.connections().connectionsOf("alice"))
                .as("kept for the retry")
                .hasSize(1);

        var announced = new ArrayList<PresenceChange>();
        registry.connections().deregister("c1", announced::add);
        assertThat(announced).containsExactly(new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2));
        assertThat(registry.connections().connectionsOf("alice")).isEmpty();
    }

    @Test
    void aSweepAnnouncesWhatTheDeadNodeOwedInVersionOrder() {
        registry.nodes().heartbeat("n1", "http://n1:8081");
        assertThatThrownBy(() -> registry.connections().register(fixture.connection("c1", "alice", "n1"), FAILING))
                .isInstanceOf(PresenceOwedException.class); // and then the node died
        fixture.clock.advance(fixture.settings.nodeLease().plusSeconds(1));
        var announced = new ConcurrentLinkedQueue<PresenceChange>();

        fixture.node().nodes().sweepDead("survivor", 4, announced::add);

        assertThat(announced)
                .containsExactly(
                        new PresenceChange("alice", PresenceChange.Status.ONLINE, 1),
                        new PresenceChange("alice", PresenceChange.Status.OFFLINE, 2));
        assertThat(registry.nodes().dead()).isEmpty();
    }

    @Test
    void versionsCountTransitionsAndTheirParityIsTheStatus() {
        var changes = new ArrayList<PresenceChange>();
        for (var round = 0; round < 3; round++) {
            registry.connections().register(fixture.connection("a" + round, "alice", "n1"), changes::add);
            registry.connections()
                    .register(fixture.connection("b" + round, "alice", "n1"), changes::add); // not a transition
            registry.connections().deregister("a" + round, changes::add); // not one either
            registry.connections().deregister("b" + round, changes::add);
        }

        assertThat(changes).extracting(PresenceChange::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(changes).allSatisfy(c -> assertThat(c.status())
                .isEqualTo(c.version() % 2 == 1 ? PresenceChange.Status.ONLINE : PresenceChange.Status.OFFLINE));
        assertThat(List.copyOf(fixture.tableItems()))
                .filteredOn(item -> item.get(Items.SK).s().startsWith("presence#"))
                .singleElement()
                .satisfies(item -> assertThat(item.get(Items.ANNOUNCED)).isEqualTo(AttributeValue.fromN("6")));
    }
}
