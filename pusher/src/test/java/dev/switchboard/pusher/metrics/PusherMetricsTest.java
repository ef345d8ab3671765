package dev.switchboard.pusher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PusherMetricsTest {
    @Test
    void everyOutcomeIsScrapedFromTheStartAndCountsWhatItIsTold() {
        var metrics = new PusherMetrics(() -> 3);

        assertThat(metrics.scrape())
                .contains("switchboard_pusher_messages_total{outcome=\"delivered\"} 0.0")
                .contains("switchboard_pusher_messages_total{outcome=\"refused\"} 0.0")
                .contains("switchboard_pusher_messages_total{outcome=\"retried\"} 0.0")
                .contains("switchboard_pusher_messages_total{outcome=\"released\"} 0.0")
                .contains("switchboard_pusher_posts_total{outcome=\"gone\"} 0.0")
                .contains("switchboard_pusher_delete_failures_total 0.0")
                .contains("switchboard_pusher_messages_in_flight 3.0");

        metrics.message(PusherMetrics.MessageOutcome.RETRIED);
        metrics.message(PusherMetrics.MessageOutcome.RETRIED);
        metrics.posts(PusherMetrics.PostOutcome.DELIVERED, 5);
        metrics.deleteFailed();

        assertThat(metrics.scrape())
                .contains("switchboard_pusher_messages_total{outcome=\"retried\"} 2.0")
                .contains("switchboard_pusher_posts_total{outcome=\"delivered\"} 5.0")
                .contains("switchboard_pusher_delete_failures_total 1.0")
                .contains("switchboard_pusher_messages_total{outcome=\"delivered\"} 0.0");
    }
}
