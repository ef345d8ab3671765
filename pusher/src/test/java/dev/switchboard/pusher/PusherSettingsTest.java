package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.SettingsContract;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PusherSettingsTest {
    private static final Map<String, String> MINIMAL = Map.of("NOTIFICATIONS_QUEUE_URL", "http://sqs/q");

    @Test
    void everyDefaultIsPinned() {
        var settings = PusherSettings.from(PushStack.config(MINIMAL));

        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isEqualTo(8082);
        assertThat(settings.pollers()).isEqualTo(2);
        assertThat(settings.queueUrl()).contains("http://sqs/q");
        assertThat(settings.visibility()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.pollWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.maxInFlight()).isEqualTo(200);
        assertThat(settings.table()).isEqualTo("switchboard-connections");
        assertThat(settings.index()).isEqualTo("sk-index");
        assertThat(settings.apigwEndpoint()).isEmpty();
        assertThat(settings.concurrency()).isEqualTo(512);
        assertThat(settings.nodeConcurrency()).isEqualTo(128);
        assertThat(settings.attempts()).isEqualTo(4);
        assertThat(settings.attemptTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.perNode()).isTrue();
        assertThat(settings.lookUpTopicsAbove()).isEqualTo(16);
        assertThat(settings.maxFrameBytes()).isEqualTo(131_072);
        assertThat(settings.shutdownDeadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.readyFile()).isEmpty();
    }

    @Test
    void everyKeyIsDocumentedReadAndReachedByItsVariable() {
        var contract = SettingsContract.of(PusherSettings::from, PusherSettings.DEFAULTS)
                .environment("NOTIFICATIONS_QUEUE_URL", "http://sqs/q")
                .alternative("NOTIFICATIONS_QUEUE_URL", "http://sqs/other")
                .alternative("APIGW_ENDPOINT", "https://abc.execute-api.eu-west-1.amazonaws.com/prod")
                .alternative("DELIVERY_PER", "connection")
                .alternative("READY_FILE", "/tmp/ready")
                .documentedIn(Path.of("../docs/configuration.md"), "pusher");

        assertThat(contract.problems()).isEmpty();
    }

    @Test
    void eachOperatorEnvironmentNameReachesItsKey() {
        var settings = PusherSettings.from(PushStack.config(Map.ofEntries(
                Map.entry("NOTIFICATIONS_QUEUE_URL", "http://sqs/q"),
                Map.entry("PUSHER_HOST", "127.0.0.1"),
                Map.entry("PUSHER_PORT", "9082"),
                Map.entry("PUSHER_POLLERS", "5"),
                Map.entry("NOTIFICATIONS_VISIBILITY", "PT45S"),
                Map.entry("NOTIFICATIONS_WAIT", "PT5S"),
                Map.entry("NOTIFICATIONS_INFLIGHT", "50"),
                Map.entry("CONNECTIONS_TABLE", "t"),
                Map.entry("CONNECTIONS_INDEX", "i"),
                Map.entry("APIGW_ENDPOINT", "https://abc.execute-api.eu-west-1.amazonaws.com/prod"),
                Map.entry("DELIVERY_CONCURRENCY", "100"),
                Map.entry("DELIVERY_NODE_CONCURRENCY", "10"),
                Map.entry("DELIVERY_ATTEMPTS", "3"),
                Map.entry("DELIVERY_TIMEOUT", "PT2S"),
                Map.entry("DELIVERY_PER", "connection"),
                Map.entry("DELIVERY_LOOKUP_TOPICS_ABOVE", "0"),
                Map.entry("LIMITS_FRAME_BYTES", "4096"),
                Map.entry("SHUTDOWN_DEADLINE", "PT9S"))));

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(9082);
        assertThat(settings.pollers()).isEqualTo(5);
        assertThat(settings.visibility()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.pollWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxInFlight()).isEqualTo(50);
        assertThat(settings.table()).isEqualTo("t");
        assertThat(settings.index()).isEqualTo("i");
        assertThat(settings.apigwEndpoint())
                .isEqualTo(Optional.of(URI.create("https://abc.execute-api.eu-west-1.amazonaws.com/prod")));
        assertThat(settings.concurrency()).isEqualTo(100);
        assertThat(settings.nodeConcurrency()).isEqualTo(10);
        assertThat(settings.attempts()).isEqualTo(3);
        assertThat(settings.attemptTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.perNode()).isFalse();
        assertThat(settings.lookUpTopicsAbove()).isZero();
        assertThat(settings.maxFrameBytes()).isEqualTo(4096);
        assertThat(settings.shutdownDeadline()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void aPusherFedByAnEventSourceNeedsNoQueueOfItsOwn() {
        var settings = PusherSettings.fromEventSource(PushStack.config(Map.of()));

        assertThat(settings.queueUrl()).isEmpty();
        assertThatThrownBy(() -> PusherSettings.from(PushStack.config(Map.of())))
                .as("a pusher that polls")
                .hasMessageContaining("NOTIFICATIONS_QUEUE_URL");
    }

    @Test
    void aMissingQueueOrABadValueStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> PusherSettings.from(PushStack.config(Map.of())))
                .hasMessageContaining("notifications.queue.url")
                .hasMessageContaining("NOTIFICATIONS_QUEUE_URL");
        assertThatThrownBy(() -> PusherSettings.from(
                        PushStack.config(Map.of("NOTIFICATIONS_QUEUE_URL", "q", "NOTIFICATIONS_WAIT", "PT30S"))))
                .hasMessageContaining("notifications.wait (NOTIFICATIONS_WAIT) is PT30S");
        for (var zero : java.util.List.of("DELIVERY_TIMEOUT", "SHUTDOWN_DEADLINE", "NOTIFICATIONS_VISIBILITY")) {
            assertThatThrownBy(() ->
                            PusherSettings.from(PushStack.config(Map.of("NOTIFICATIONS_QUEUE_URL", "q", zero, "PT0S"))))
                    .as(zero)
                    .hasMessageContaining("(" + zero + ") is PT0S; it must lie between");
        }
        assertThatThrownBy(() -> PusherSettings.from(
                        PushStack.config(Map.of("NOTIFICATIONS_QUEUE_URL", "q", "APIGW_ENDPOINT", "not a url"))))
                .hasMessageContaining("apigw.endpoint");
        assertThatThrownBy(() -> PusherSettings.from(
                        PushStack.config(Map.of("NOTIFICATIONS_QUEUE_URL", "q", "PUSHER_POLLERS", "0"))))
                .hasMessageContaining("pusher.pollers");
        assertThatThrownBy(() -> PusherSettings.from(
                        PushStack.config(Map.of("NOTIFICATIONS_QUEUE_URL", "q", "NOTIFICATIONS_INFLIGHT", "0"))))
                .hasMessageContaining("notifications.inflight");
        assertThatThrownBy(() -> PusherSettings.from(
                        PushStack.config(Map.of("NOTIFICATIONS_QUEUE_URL", "q", "DELIVERY_PER", "user"))))
                .hasMessageContaining("delivery.per")
                .hasMessageContaining("one of node, connection");
    }
}
