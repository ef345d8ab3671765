package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend's notification through SQS and the pusher to a topic whose rules keep history, on two real gateway
 * nodes: both deliver it with one offset, and it is in the topic's history once.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryThroughThePusherIT {
    private static final String RULES = "[{\"pattern\":\"*\",\"subscribe\":true,\"publish\":true,\"history\":10}]";

    private PushStack stack;

    @BeforeAll
    void start(Emulators emulators, TestNames names, @TempDir Path directory) {
        stack = new PushStack(emulators, names, directory, 2, Map.of("TOPICS_RULES", RULES));
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void aNotificationToATopicWithHistoryIsKeptOnceAndCarriesItsOffset(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        stack.pusher(queues, Map.of());
        var topic = names.unique("news");
        try (var here = stack.subscribed(names.unique("yara"), 0, topic);
                var there = stack.subscribed(names.unique("zed"), 1, topic)) {
            queues.send("{\"topics\":[\"" + topic + "\"],\"data\":{\"headline\":\"kept\"}}");

            var first = here.next();
            assertThat(first.path("headline").asText()).isEqualTo("kept");
            assertThat(first.path("offset").asLong()).isEqualTo(1);
            assertThat(there.next()).as("the same frame on the other node").isEqualTo(first);
            Await.until("the queue empty", Duration.ofSeconds(30), queues::pending, n -> n == 0);

            there.send("{\"type\":\"history\",\"topic\":\"" + topic + "\"}");
            var kept = there.next("history").path("messages");
            assertThat(kept.size()).as("stored once").isEqualTo(1);
            assertThat(kept.get(0)).isEqualTo(first);
        }
    }
}
