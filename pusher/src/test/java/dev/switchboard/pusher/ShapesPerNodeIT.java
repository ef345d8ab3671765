package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.TestNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shapes delivered per node (the default), and what a node that does not answer does. */
class ShapesPerNodeIT extends DeliveryShapes {
    @Override
    Map<String, String> mode() {
        return Map.of("DELIVERY_TIMEOUT", "PT1S");
    }

    private static String metrics(PusherServer pusher) {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pusher.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNodeThatDoesNotAnswerLeavesTheMessageToComeBackAndNoConnectionGetsItTwice(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        var user = names.unique("hal");
        try (var here = stack.connect(user, 0);
                var there = stack.connect(user, 1)) {
            var stopped = stack.nodes.get(1).process().toHandle();
            stack.signal(stopped, "STOP"); // alive on record, answering nothing
            try {
                var pusher = stack.pusher(queues, Map.of("DELIVERY_TIMEOUT", "PT3S"));
                queues.send("{\"users\":[\"" + user + "\"],\"data\":{\"n\":1}}");
                assertThat(here.next().path("n").asInt()).isEqualTo(1);
                assertThat(metrics(pusher))
                        .as("the live node's delivery did not wait for the stopped node's timeout")
                        .contains("switchboard_pusher_messages_total{outcome=\"retried\"} 0.0");
                Await.until(
                        "the message left for another try",
                        DEADLINE,
                        () -> metrics(pusher),
                        text -> !text.contains("switchboard_pusher_messages_total{outcome=\"retried\"} 0.0"));
                assertThat(queues.pending()).as("not deleted").isEqualTo(1);
            } finally {
                stack.signal(stopped, "CONT");
            }
            assertThat(there.next().path("n").asInt())
                    .as("delivered once the node answers")
                    .isEqualTo(1);
            Await.until("the queue empty", DEADLINE, queues::pending, n -> n == 0);
            assertThat(here.receivesWithin(Duration.ofMillis(500)))
                    .as("not twice: the node remembers the request")
                    .isFalse();
        }
    }
}
