package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The capacity units per operation of docs/registry.md, as the emulators' DynamoDB reports them. */
@ExtendWith(EmulatorsExtension.class)
class CapacityIT {
    @Test
    void eachOperationCostsWhatDocsRegistryMdSays(Emulators emulators, TestNames names) {
        var fixture = new RegistryFixture(emulators, names, 1000);
        var registry = fixture.node();
        registry.nodes().heartbeat("n1", "http://n1:8081");
        var connection = fixture.connection("c1", "alice", "n1");
        registry.connections().register(connection);
        registry.topics().subscribe(connection, List.of("room"));
        IntStream.range(2, 10).forEach(i -> {
            var other = fixture.connection("c" + i, "u" + i, "n1");
            registry.connections().register(other);
            registry.topics().subscribe(other, List.of("room"));
        });
        registry.topics().subscribersOf("room");
        registry.connections().connectionsOf("alice");
        registry.connections().connection("c1");
        registry.connections().everyone();
        registry.connections().deregister("c1");
        var nodesBefore = registry.capacity().snapshot().get("read:nodes");
        registry.nodes().all();

        var usage = registry.capacity().snapshot();
        System.out.println("capacity per operation: " + usage);

        // The emulators' engine (dynalite) reports a write's units in the table only; DynamoDB bills each item
        // written once more for the index, which holds every item: twice these write figures (docs/registry.md).
        assertThat(perCall(usage.get("write:register"))).isEqualTo(2.0); // connection record + user entry
        assertThat(usage.get("write:presence").writeUnits()).isEqualTo(10.0); // 9 joins + 1 leave
        assertThat(perCall(usage.get("write:subscribe"))).isEqualTo(1.0); // one topic
        assertThat(usage.get("write:deregister").writeUnits()).isEqualTo(3.0); // record, user entry, 1 topic
        assertThat(usage.get("write:deregister").readUnits()).isEqualTo(0.5); // the index Query
        assertThat(usage.get("read:subscribersOf").readUnits()).isEqualTo(0.5); // 9 subscribers < 4 KB
        assertThat(usage.get("read:connectionsOf").readUnits()).isEqualTo(0.5);
        assertThat(usage.get("read:connection").readUnits()).isEqualTo(0.5);
        assertThat(usage.get("read:everyone").readUnits()).isEqualTo(0.5); // one node, 9 connections
        assertThat(usage.get("write:heartbeat").writeUnits()).isEqualTo(1.0);
        // Strongly consistent (a pusher reuses it for a node's join grace): a whole unit, not half.
        assertThat(usage.get("read:nodes").readUnits() - (nodesBefore == null ? 0 : nodesBefore.readUnits()))
                .isEqualTo(1.0);
    }

    @Test
    void historyCostsWhatDocsRegistryMdSays(Emulators emulators, TestNames names) {
        var fixture = new RegistryFixture(emulators, names, 1000);
        var registry = fixture.node();
        var history = registry.history();
        var frame = "{\"type\":\"publish\",\"topic\":\"room\",\"data\":\"" + "x".repeat(200) + "\"}";
        history.append("room", Duration.ofHours(1), (epoch, offset) -> frame); // the head read once, then guessed
        var first = registry.capacity().snapshot();
        for (var i = 0; i < 10; i++) {
            history.append("room", Duration.ofHours(1), (epoch, offset) -> frame);
        }
        var appends = minus(registry.capacity().snapshot(), first, "write:append");
        var head = history.head("room");
        var beforeRecovery = registry.capacity().snapshot();
        history.since("room", head.epoch(), head.offset() - 5, 100);
        var recovery = minus(registry.capacity().snapshot(), beforeRecovery, "read:history");
        var beforeLast = registry.capacity().snapshot();
        history.last("room", 10);
        var last = minus(registry.capacity().snapshot(), beforeLast, "read:history");
        var beforeOnce = registry.capacity().snapshot();
        history.appendOnce("room", "request-1", Duration.ofHours(1), (epoch, offset) -> frame);
        var once = minus(registry.capacity().snapshot(), beforeOnce, "write:append");
        System.out.println("history capacity: append (guessed head) " + appends + " per 10; recovery of 5 " + recovery
                + "; last 10 " + last + "; appendOnce " + once);

        // Items of ~300 B: a put is 1 WCU in the table (DynamoDB: 2, with the index), strongly consistent reads
        // 1 RCU per 4 KB.
        assertThat(appends.writeUnits()).isEqualTo(10.0);
        assertThat(appends.readUnits())
                .as("no read while the head is guessed right")
                .isZero();
        assertThat(recovery.readUnits()).as("the head, then 5 messages").isEqualTo(2.0);
        assertThat(last.readUnits()).isEqualTo(1.0);
        assertThat(once.readUnits())
                .as("the newest (up to 25) looked through: 11 here, under 4 KB")
                .isEqualTo(1.0);
        assertThat(once.writeUnits()).isEqualTo(1.0);
    }

    private static CapacityMeter.Usage minus(
            Map<String, CapacityMeter.Usage> after, Map<String, CapacityMeter.Usage> before, String label) {
        var now = after.get(label);
        var then = before.get(label);
        return then == null
                ? now
                : new CapacityMeter.Usage(
                        now.calls() - then.calls(),
                        now.readUnits() - then.readUnits(),
                        now.writeUnits() - then.writeUnits());
    }

    private static double perCall(CapacityMeter.Usage usage) {
        return (usage.readUnits() + usage.writeUnits()) / usage.calls();
    }

    @Test
    void everyPublicOperationIsCounted(Emulators emulators, TestNames names) {
        var fixture = new RegistryFixture(emulators, names, 100);
        var registry = fixture.node();
        var patience = Duration.ofSeconds(10);
        var lease = registry.nodes().claim("n1", "http://n1:8081", patience, Announcer.NONE);
        registry.nodes().renew(lease, "http://n1:8081");
        var connection = fixture.connection("c1", "alice", "n1");
        registry.connections().register(connection, Announcer.NONE);
        registry.topics().subscribe(connection, List.of("room"));
        registry.topics().topicSubscribers("room", "n1", "http://n1:8081", 1);
        registry.topics().subscribersOf("room");
        registry.topics().nodesOf("room");
        registry.connections().connectionsOf("alice");
        registry.connections().connection("c1");
        registry.connections().connectionsOfNode("n1");
        registry.connections().everyone();
        registry.presence().connectionCount("alice");
        registry.presence().announceOwed("alice", Announcer.NONE);
        registry.connections().refresh(List.of("c1"));
        registry.history().append("room", Duration.ofHours(1), (epoch, offset) -> "{}");
        registry.history().since("room", "e", 0, 10);
        registry.topics().join("room", "alice", "c1");
        registry.topics().members("room", java.util.Optional.empty(), 10);
        registry.topics().leave("room", "alice", "c1");
        registry.topics().unsubscribe("c1", List.of("room"));
        registry.connections().deregisterAll(Map.of(connection, List.of()), Announcer.NONE, 1);
        registry.connections().register(fixture.connection("c2", "bob", "n1"), Announcer.NONE);
        registry.connections().deregister("c2", Announcer.NONE);
        registry.nodes().live();
        registry.nodes().dead();
        registry.nodes().sweepDead("sweeper", 1, Announcer.NONE);
        registry.topics().forgetTopicsOf("n1");
        registry.nodes().forget("n1");
        registry.nodes().reclaim("n1", "http://n1:8081", patience);
        registry.nodes().heartbeat("n2", "http://n2:8081");

        var usage = registry.capacity().snapshot();

        var counted = Arrays.stream(Operation.values())
                .filter(op ->
                        !Set.of(Operation.READ_NODE, Operation.WRITE_PRESENCE).contains(op)) // parts of others
                .map(Operation::label)
                .toList();
        assertThat(counted).allSatisfy(label -> assertThat(usage.get(label))
                .as(label)
                .isNotNull()
                .satisfies(u -> assertThat(u.calls()).as(label + " calls").isPositive()));
    }
}
