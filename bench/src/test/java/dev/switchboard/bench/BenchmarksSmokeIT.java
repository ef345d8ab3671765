package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every benchmark runs for a moment and measures something, so none can rot unnoticed. Not a measurement. */
class BenchmarksSmokeIT {
    @Test
    void everyBenchmarkRunsAndTheSummaryPairsOursWithItsReference() throws Exception {
        var results = Benchmarks.run(true);

        assertThat(results).hasSize(4);
        assertThat(results)
                .allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
        assertThat(Benchmarks.summary(results))
                .contains("rs256")
                .contains("es256")
                .contains("ratio");
    }
}
