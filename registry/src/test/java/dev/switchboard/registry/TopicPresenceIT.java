package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Topic presence in the registry: a user joins with its first member connection and leaves with its last. */
@ExtendWith(EmulatorsExtension.class)
class TopicPresenceIT {
    private RegistryFixture fixture;
    private ConnectionRegistry registry;

    @BeforeEach
    void setUp(Emulators emulators, TestNames names) {
        fixture = new RegistryFixture(emulators, names, 100);
        registry = fixture.node();
    }

    @Test
    void aUserJoinsOnceAndLeavesWithItsLastConnection() {
        var topics = registry.topics();

        assertThat(topics.join("room", "alice", "c1")).as("her first").isTrue();
        assertThat(topics.join("room", "alice", "c2"))
                .as("her second, on another node perhaps")
                .isFalse();
        assertThat(topics.join("room", "alice", "c2")).as("a repeat").isFalse();
        assertThat(topics.join("other", "alice", "c1")).as("another topic").isTrue();
        assertThat(topics.members("room", Optional.empty(), 10).members())
                .containsExactly(new Topics.Member("alice", 2));

        assertThat(topics.leave("room", "alice", "c1")).isFalse();
        assertThat(topics.leave("room", "alice", "c1")).as("a repeat").isFalse();
        assertThat(topics.leave("room", "alice", "c2")).as("her last").isTrue();
        assertThat(topics.leave("room", "alice", "c2")).isFalse();
        assertThat(topics.leave("room", "nobody", "c9")).isFalse();
        assertThat(topics.members("room", Optional.empty(), 10).members()).isEmpty();
        assertThat(topics.join("room", "alice", "c3")).as("back again").isTrue();
    }

    @Test
    void membersComeInPagesWithACursor() {
        for (var i = 0; i < 7; i++) {
            registry.topics().join("big", "user-" + i, "c" + i);
        }
        registry.topics().join("big", "user-3", "c3b");
        registry.topics().join("elsewhere", "user-9", "c9");

        var seen = new ArrayList<Topics.Member>();
        var pages = 0;
        var page = registry.topics().members("big", Optional.empty(), 3);
        while (true) {
            pages++;
            assertThat(page.members()).hasSizeLessThanOrEqualTo(3);
            seen.addAll(page.members());
            if (page.next().isEmpty()) {
                break;
            }
            page = registry.topics().members("big", page.next(), 3);
        }

        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(seen).hasSize(7).contains(new Topics.Member("user-3", 2));
        assertThat(seen.stream().map(Topics.Member::userId)).isSorted().doesNotContain("user-9");
    }

    @Test
    void aDeregistrationAndASweepLeaveTheTopicsPresenceAndTellTheNode() {
        var left = new ConcurrentLinkedQueue<String>();
        registry.topics().onMemberLeft((topic, user) -> left.add(topic + "/" + user));
        registry.nodes().heartbeat("n1", "http://n1:8081");
        var c1 = fixture.connection("c1", "alice", "n1");
        var c2 = fixture.connection("c2", "bob", "n1");
        for (var connection : List.of(c1, c2)) {
            registry.connections().register(connection, Announcer.NONE);
            registry.topics().subscribe(connection, List.of("room", "quiet"), Set.of("room"));
            registry.topics().join("room", connection.userId(), connection.id());
        }

        registry.connections().deregister(c1, Announcer.NONE);
        assertThat(left).containsExactly("room/alice");

        fixture.clock.advance(fixture.settings.nodeLease().plusSeconds(1)); // n1 died holding bob
        var sweeper = fixture.node();
        sweeper.topics().onMemberLeft((topic, user) -> left.add("swept " + topic + "/" + user));
        sweeper.nodes().sweepDead("survivor", 2, Announcer.NONE);

        assertThat(left).containsExactly("room/alice", "swept room/bob");
        assertThat(registry.topics().members("room", Optional.empty(), 10).members())
                .isEmpty();
    }
}
