package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connects and disconnects of the same users race on two nodes, in random interleavings; every user's presence
 * changes, ordered by version, must alternate ONLINE, OFFLINE, … exactly, and end OFFLINE when all are gone.
 */
@ExtendWith(EmulatorsExtension.class)
class PresenceRaceIT {
    private static final List<String> USERS = List.of("alice", "bob", "carol");
    private static final int THREADS = 8;
    private static final int STEPS = 40;

    @Test
    void presenceAlternatesExactlyPerUserUnderRacingConnectsAndDisconnects(Emulators emulators, TestNames names)
            throws Exception {
        var fixture = new RegistryFixture(emulators, names, 1000);
        var nodes = List.of(fixture.node(), fixture.node());
        var changes = new ConcurrentLinkedQueue<PresenceChange>();
        var seed = System.nanoTime();
        var pool = Executors.newFixedThreadPool(THREADS);
        var work = new ArrayList<Future<?>>();
        for (int t = 0; t < THREADS; t++) {
            var thread = t;
            work.add(pool.submit(() -> {
                var random = new Random(seed + thread);
                var open = new ArrayList<String>();
                for (int step = 0; step < STEPS; step++) {
                    var node = nodes.get(random.nextInt(nodes.size()));
                    if (open.isEmpty() || random.nextBoolean()) {
                        var user = USERS.get(random.nextInt(USERS.size()));
                        var id = "t" + thread + "-s" + step;
                        node.connections()
                                .register(fixture.connection(id, user, "n" + nodes.indexOf(node)))
                                .ifPresent(changes::add);
                        open.add(id);
                    } else {
                        node.connections()
                                .deregister(open.remove(random.nextInt(open.size())))
                                .ifPresent(changes::add);
                    }
                }
                open.forEach(id -> nodes.getFirst().connections().deregister(id).ifPresent(changes::add));
                return null;
            }));
        }
        for (var future : work) {
            future.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        for (var user : USERS) {
            var sequence = changes.stream()
                    .filter(c -> c.userId().equals(user))
                    .sorted(Comparator.comparingLong(PresenceChange::version))
                    .toList();
            assertThat(sequence).as("seed %d, user %s", seed, user).isNotEmpty();
            for (int i = 0; i < sequence.size(); i++) {
                var expected = i % 2 == 0 ? PresenceChange.Status.ONLINE : PresenceChange.Status.OFFLINE;
                assertThat(sequence.get(i).status())
                        .as("seed %d, %s change %d: %s", seed, user, i, sequence)
                        .isEqualTo(expected);
            }
            assertThat(sequence.getLast().status()).isEqualTo(PresenceChange.Status.OFFLINE);
            assertThat(sequence).extracting(PresenceChange::version).doesNotHaveDuplicates();
            assertThat(nodes.getFirst().presence().connectionCount(user)).isZero();
        }
    }
}
