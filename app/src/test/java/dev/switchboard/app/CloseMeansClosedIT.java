package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * From the moment the gateway decides to close a connection — a Management API DELETE, abuse (1008), no pong
 * (4000) — nothing the client still sends reaches SQS, SNS, a topic or the registry, and the socket is cut within the
 * close grace even when the client never answers the close. The client here is a bare socket that does exactly that.
 */
@ExtendWith(EmulatorsExtension.class)
class CloseMeansClosedIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GRACE = Duration.ofMillis(500);
    private static final Map<String, String> SETTINGS = Map.of(
            "PRESENCE_TARGET", "none",
            "CLOSE_GRACE", "PT0.5S",
            "LIMITS_RATE", "5",
            "LIMITS_BURST", "5",
            "LIMITS_ABUSE", "10");

    @Test
    void afterAManagementApiDeleteNothingReachesAnything(Emulators emulators, TestNames names) throws Exception {
        try (var gateway = new GatewayFixture(emulators, names, SETTINGS);
                var raw = connect(gateway, names.unique("deleted"))) {
            var id = connectionId(raw);

            try (var http = HttpClient.newHttpClient()) {
                var deleted = http.send(
                        HttpRequest.newBuilder(URI.create(gateway.management() + "/@connections/" + id))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(deleted.statusCode()).isEqualTo(204);
            }

            assertThat(closeStatus(raw)).contains(1000);
            keepsSendingAndReachesNothing(gateway, raw, names);
        }
    }

    @Test
    void afterAbuseNothingReachesAnything(Emulators emulators, TestNames names) throws Exception {
        try (var gateway = new GatewayFixture(emulators, names, SETTINGS);
                var raw = connect(gateway, names.unique("abuser"))) {
            for (var i = 0; i < 30; i++) {
                raw.sendText("{\"type\":\"ping\"}");
            }

            assertThat(closeStatus(raw)).contains(1008);
            keepsSendingAndReachesNothing(gateway, raw, names);
        }
    }

    @Test
    void afterNoPongNothingReachesAnything(Emulators emulators, TestNames names) throws Exception {
        var settings = new java.util.HashMap<>(SETTINGS);
        settings.put("LIVENESS_PING", "PT0.3S");
        try (var gateway = new GatewayFixture(emulators, names, settings);
                var raw = connect(gateway, names.unique("silent"))) {
            // It reads the pings and never answers them.
            assertThat(closeStatus(raw)).contains(4000);
            keepsSendingAndReachesNothing(gateway, raw, names);
        }
    }

    private static RawClient connect(GatewayFixture gateway, String user) throws IOException {
        return RawClient.connect(gateway.server.port(), "/ws?authorization=" + gateway.token(user), 65_536);
    }

    private static String connectionId(RawClient raw) throws Exception {
        raw.sendText("{\"action\":\"ping\"}");
        var pong = raw.read(Duration.ofSeconds(10)).orElseThrow();
        return JSON.readTree(pong.text()).path("connectionId").asText();
    }

    /** The status of the close frame the gateway sends, skipping what comes before it (pings, replies). */
    private static Optional<Integer> closeStatus(RawClient raw) throws IOException {
        for (var frame = raw.read(Duration.ofSeconds(10));
                frame.isPresent();
                frame = raw.read(Duration.ofSeconds(10))) {
            if (frame.get().opcode() == RawClient.CLOSE) {
                return Optional.of(frame.get().status());
            }
        }
        return Optional.empty();
    }

    /**
     * The client does not answer the close and sends on: a message for SQS, one for SNS, a topic publish and a
     * subscribe. Its socket is cut within the grace; none of them arrives anywhere.
     */
    private static void keepsSendingAndReachesNothing(GatewayFixture gateway, RawClient raw, TestNames names)
            throws Exception {
        var marker = names.unique("after-close");
        try (var watcher = gateway.connect(names.unique("watcher"))) {
            watcher.send("{\"type\":\"subscribe\",\"topics\":[\"" + marker + "\"]}");
            watcher.pingForConnectionId();
            try {
                raw.sendText("{\"action\":\"send\",\"message\":{\"m\":\"" + marker + "\"}}");
                raw.sendText("{\"action\":\"publish\",\"message\":{\"m\":\"" + marker + "\"}}");
                raw.sendText("{\"type\":\"publish\",\"topic\":\"" + marker + "\",\"data\":1}");
                raw.sendText("{\"type\":\"subscribe\",\"topics\":[\"late-" + marker + "\"]}");
            } catch (IOException cutAlready) {
                // the socket may already be gone: then nothing can arrive either
            }

            assertThat(raw.endedWithin(GRACE.plusSeconds(3)))
                    .as("the socket cut")
                    .isTrue();
            assertThat(watcher.receivesWithin(Duration.ofSeconds(1)))
                    .as("a topic publish")
                    .isFalse();
            assertThat(gateway.registry.topics().subscribersOf("late-" + marker))
                    .as("a subscription")
                    .isEmpty();
            for (var queue : new String[] {gateway.queueUrl, gateway.topicQueueUrl}) {
                var received = gateway.emulators
                        .sqsClient()
                        .receiveMessage(
                                b -> b.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10))
                        .messages();
                assertThat(received.stream().map(Message::body)).as(queue).noneMatch(body -> body.contains(marker));
            }
        }
        Await.until(
                "the closed connection deregistered",
                Duration.ofSeconds(10),
                () -> gateway.registry.connections().everyone().values().stream()
                        .mapToInt(java.util.List::size)
                        .sum(),
                n -> n == 0);
    }
}
