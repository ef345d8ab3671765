package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.ServiceProcess;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.registry.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pusher as its own process ({@code java -jar target/switchboard-pusher.jar}), caught in the middle of a fan-out
 * (a node that holds its posts): killed with SIGKILL, or stopped with SIGTERM, it loses nothing — another pusher
 * delivers every message — and the connection on the real node gets each message once, though it is sent to its
 * node twice (the node remembers the request ids).
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PusherProcessIT {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    /** The packaged pusher, run as an operator runs it; the integration tests run after {@code package}. */
    private static final Path JAR = Path.of("target", "switchboard-pusher.jar");

    private static final int MESSAGES = 5;

    private PushStack stack;
    private Path directory;

    @BeforeAll
    void start(Emulators emulators, TestNames names, @TempDir Path directory) {
        this.directory = directory;
        stack = new PushStack(emulators, names, directory, 1);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void aPusherKilledMidBatchLosesNothing(TestNames names) throws Exception {
        catchAPusherMidFanOut(names, true);
    }

    @Test
    void aPusherStoppedWithSigtermExitsAndItsMessagesAreDeliveredByAnother(TestNames names) throws Exception {
        catchAPusherMidFanOut(names, false);
    }

    private void catchAPusherMidFanOut(TestNames names, boolean kill) throws Exception {
        var queues = stack.queues(names, 5);
        var user = names.unique("alice");
        var slowUser = names.unique("slow");
        var node = names.unique("slow-node");
        try (var slow = new FakeNode();
                var standIn = stack.standIn(node, slow.endpoint().toString());
                var client = stack.connect(user, 0)) {
            stack.registry
                    .connections()
                    .register(new Connection(
                            names.unique("conn"),
                            slowUser,
                            node,
                            slow.endpoint().toString(),
                            Instant.now(),
                            Map.of()));
            for (var i = 0; i < MESSAGES; i++) {
                queues.send("{\"users\":[\"" + user + "\",\"" + slowUser + "\"],\"data\":" + i + "}");
            }
            var pusher = ServiceProcess.startJar(
                    JAR,
                    stack.environment(queues, Map.of("NOTIFICATIONS_VISIBILITY", "PT3S", "SHUTDOWN_DEADLINE", "PT2S")),
                    stack.emulators,
                    directory.resolve(names.unique("pusher") + ".log"));
            Await.until("posts held mid fan-out", DEADLINE, () -> slow.posts, posts -> !posts.isEmpty());

            if (kill) {
                pusher.kill();
            } else {
                pusher.terminate();
                assertThat(pusher.waitFor(Duration.ofSeconds(20)))
                        .as("exited; output: %s", pusher.output())
                        .isTrue();
                assertThat(pusher.process().exitValue()).isZero();
                assertThat(pusher.output()).anyMatch(line -> line.contains("consumer stopped"));
            }
            slow.release();
            stack.pusher(queues, Map.of());

            // Every message reaches the user once, though its node was asked again by the second pusher.
            var received = new HashSet<Integer>();
            while (received.size() < MESSAGES) {
                assertThat(received.add(client.next().asInt())).as("each once").isTrue();
            }
            Await.until(
                    "every message also posted to the slow node",
                    DEADLINE,
                    slow::dataPosted,
                    posted -> new HashSet<>(posted).size() == MESSAGES);
            Await.until("the queue empty", DEADLINE, queues::pending, n -> n == 0);
            assertThat(queues.deadLetters(Duration.ZERO)).isEmpty();
            assertThat(client.receivesWithin(Duration.ofMillis(300)))
                    .as("nothing twice")
                    .isFalse();
        }
    }
}
