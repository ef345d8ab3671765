package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.metrics.GatewayMetrics.FrameKind;
import dev.switchboard.app.metrics.GatewayMetrics.Output;
import dev.switchboard.app.metrics.GatewayMetrics.Refusal;
import dev.switchboard.app.protocol.CloseCause;
import dev.switchboard.app.protocol.ErrorCode;
import dev.switchboard.authorizer.Reason;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    @Test
    void everyFrameKindAndOutputIsScrapedFromTheStartAndCountsWhatItIsTold() {
        var metrics = new GatewayMetrics(() -> 2, () -> 0);

        var before = metrics.scrape();
        for (var kind : FrameKind.values()) {
            assertThat(before)
                    .contains("switchboard_frames_in_total{kind=\"" + kind.label() + "\"} 0.0")
                    .contains("switchboard_frames_out_total{kind=\"" + kind.label() + "\"} 0.0");
        }
        for (var output : Output.values()) {
            assertThat(before).contains("switchboard_output_failures_total{output=\"" + output.label() + "\"} 0.0");
        }

        metrics.frameIn(FrameKind.TOPIC_PUBLISH);
        metrics.framesOut(FrameKind.TOPIC_PUBLISH, 9);
        metrics.outputFailures(Output.NODE, 3);

        assertThat(metrics.scrape())
                .contains("switchboard_frames_in_total{kind=\"topic_publish\"} 1.0")
                .contains("switchboard_frames_out_total{kind=\"topic_publish\"} 9.0")
                .contains("switchboard_output_failures_total{output=\"node\"} 3.0")
                .contains("switchboard_connections 2.0");
        assertThat(metrics.framesOut()).isEqualTo(9.0);
    }

    @Test
    void everyCloseCauseErrorCodeAndRefusalIsScrapedFromTheStart() {
        var metrics = new GatewayMetrics(() -> 0, () -> 0);

        var before = metrics.scrape();
        for (var cause : CloseCause.values()) {
            assertThat(before).contains("switchboard_closes_total{cause=\"" + cause.label() + "\"} 0.0");
        }
        for (var code : ErrorCode.values()) {
            assertThat(before).contains("switchboard_errors_total{code=\"" + code.wireName() + "\"} 0.0");
        }
        for (var refusal : Refusal.values()) {
            assertThat(before).contains("switchboard_handshake_refusals_total{reason=\"" + refusal.label() + "\"} 0.0");
        }
        assertThat(before)
                .contains("switchboard_handshake_refusals_total{reason=\"expired\"} 0.0")
                .contains("switchboard_slow_consumer_closes_total{reason=\"queue_full\"} 0.0")
                .contains("switchboard_slow_consumer_closes_total{reason=\"stalled\"} 0.0")
                .doesNotContain("switchboard_slow_consumer_closes_total{reason=\"drain\"}");
    }

    @Test
    void aSlowConsumersCloseCountsTwiceAndOnlyNotableClosesAreRemembered() {
        var metrics = new GatewayMetrics(() -> 0, () -> 0);

        metrics.closed(CloseCause.STALLED);
        metrics.closed(CloseCause.PEER);
        metrics.closed(CloseCause.MANAGEMENT_DELETE);
        metrics.handshakeRefused(Reason.EXPIRED);
        metrics.handshakeRefused(Refusal.CONNECT_RATE);

        assertThat(metrics.scrape())
                .contains("switchboard_closes_total{cause=\"stalled\"} 1.0")
                .contains("switchboard_slow_consumer_closes_total{reason=\"stalled\"} 1.0")
                .contains("switchboard_closes_total{cause=\"peer\"} 1.0")
                .contains("switchboard_handshake_refusals_total{reason=\"expired\"} 1.0")
                .contains("switchboard_handshake_refusals_total{reason=\"connect_rate\"} 1.0");
        assertThat(metrics.recent()).extracting(GatewayMetrics.Event::detail).containsExactly("stalled");
    }
}
