package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.util.List;
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
        registry.heartbeat("n1", "http://n1:8081");
        var connection = fixture.connection("c1", "alice", "n1");
        registry.register(connection);
        registry.subscribe(connection, List.of("room"));
        IntStream.range(2, 10).forEach(i -> {
            var other = fixture.connection("c" + i, "u" + i, "n1");
            registry.register(other);
            registry.subscribe(other, List.of("room"));
        });
        registry.subscribersOf("room");
        registry.connectionsOf("alice");
        registry.connection("c1");
        registry.everyone();
        registry.deregister("c1");

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
    }

    private static double perCall(CapacityMeter.Usage usage) {
        return (usage.readUnits() + usage.writeUnits()) / usage.calls();
    }
}
