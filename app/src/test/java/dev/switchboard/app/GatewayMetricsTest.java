package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.management.GatewayMetrics;
import dev.switchboard.app.management.GatewayMetrics.FrameKind;
import dev.switchboard.app.management.GatewayMetrics.Output;
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
        assertThat(metrics.total("switchboard_frames_out")).isEqualTo(9.0);
    }
}
