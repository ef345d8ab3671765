package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Topic history in the registry: offsets without gaps or doubles across nodes, recovery, retention. */
@ExtendWith(EmulatorsExtension.class)
class HistoryIT {
    private static final Duration HOUR = Duration.ofHours(1);

    private RegistryFixture fixture;

    @BeforeEach
    void setUp(Emulators emulators, TestNames names) {
        fixture = new RegistryFixture(emulators, names, 100);
    }

    private static String frame(String text, String epoch, long offset) {
        return "{\"data\":\"" + text + "\",\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"}";
    }

    @Test
    void concurrentPublishersOnTwoNodesGetStrictlyIncreasingOffsetsWithNoGapAndNoDouble() throws Exception {
        var nodes = List.of(fixture.node(), fixture.node());
        var taken = new ConcurrentLinkedQueue<Long>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var futures = new ArrayList<Future<?>>();
            for (var t = 0; t < 8; t++) {
                var history = nodes.get(t % 2).history();
                var publisher = t;
                futures.add(pool.submit(() -> {
                    for (var i = 0; i < 10; i++) {
                        var text = "p" + publisher + "-" + i;
                        taken.add(history.append("room", HOUR, (epoch, offset) -> frame(text, epoch, offset))
                                .offset());
                    }
                }));
            }
            for (var future : futures) {
                future.get();
            }
        }

        assertThat(taken).hasSize(80).doesNotHaveDuplicates();
        var kept = nodes.getFirst().history().last("room", 100);
        assertThat(kept.stream().map(History.Entry::offset))
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 80).boxed().toList());
        assertThat(kept.getLast().frame()).contains("\"offset\":80");
        assertThat(nodes.get(1).history().head("room").offset()).isEqualTo(80);
    }

    @Test
    void aClientGetsExactlyWhatItMissedOrIsToldItCannot() {
        var history = fixture.node().history();
        for (var i = 1; i <= 5; i++) {
            var n = i;
            history.append("chat", HOUR, (epoch, offset) -> frame("m" + n, epoch, offset));
        }
        var head = history.head("chat");
        var other = fixture.node().history();

        var missed = other.since("chat", head.epoch(), 2, 100);
        assertThat(missed.recovered()).isTrue();
        assertThat(missed.messages().stream().map(History.Entry::offset)).containsExactly(3L, 4L, 5L);
        assertThat(other.since("chat", head.epoch(), 5, 100).messages())
                .as("up to date")
                .isEmpty();
        assertThat(other.since("chat", head.epoch(), 5, 100).recovered()).isTrue();
        assertThat(other.since("chat", "another-epoch", 2, 100).recovered()).isFalse();
        assertThat(other.since("chat", head.epoch(), 1, 3).recovered())
                .as("older than what is kept")
                .isFalse();
        assertThat(other.since("chat", head.epoch(), 9, 100).recovered())
                .as("ahead of the topic")
                .isFalse();
        assertThat(other.last("chat", 2).stream().map(History.Entry::offset)).containsExactly(4L, 5L);
    }

    @Test
    void expiredMessagesAreAbsentAndALostHistoryStartsANewEpoch() {
        var history = fixture.node().history();
        history.append("brief", Duration.ofSeconds(60), (epoch, offset) -> frame("old", epoch, offset));
        var before = history.append("brief", Duration.ofSeconds(60), (epoch, offset) -> frame("old", epoch, offset));

        fixture.clock.advance(Duration.ofSeconds(61)); // DynamoDB has not deleted them: expired is absent anyway
        var reader = fixture.node().history();
        assertThat(reader.last("brief", 10)).isEmpty();
        assertThat(reader.since("brief", before.epoch(), 1, 100).recovered()).isFalse();

        var after = reader.append("brief", HOUR, (epoch, offset) -> frame("new", epoch, offset));
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(after.offset()).as("offsets never go back").isEqualTo(3);
        assertThat(history.append("brief", HOUR, (epoch, offset) -> frame("newer", epoch, offset)))
                .as("a node whose guess was stale")
                .isEqualTo(new History.Position(after.epoch(), 4));
        assertThat(reader.last("brief", 10).stream().map(History.Entry::offset)).containsExactly(3L, 4L);
    }
}
