package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.fanout.FanOutBenchmark;
import dev.switchboard.bench.idle.IdleBenchmark;
import dev.switchboard.bench.lambda.LambdaStartBenchmark;
import dev.switchboard.bench.local.LocalStackBenchmark;
import dev.switchboard.bench.signaling.FirstMinuteBenchmark;
import dev.switchboard.bench.signaling.SignalingBenchmark;
import dev.switchboard.bench.signaling.SignalingLoad;
import dev.switchboard.bench.soak.SoakBenchmark;
import java.util.List;
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

    @Test
    void theSignalingBenchmarkRunsEveryTargetAndLosesNothing() throws Exception {
        var results = SignalingBenchmark.run(List.of(SignalingBenchmark.SMOKE), false);

        assertThat(results)
                .extracting(SignalingLoad.Result::target)
                .containsExactly(
                        "y-webrtc server.js", "gateway, 1 node", "gateway, 2 nodes", "gateway, 1 node, history");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.lost()).as("lost in %s", r.target()).isZero();
            assertThat(r.duplicates()).as("duplicated in %s", r.target()).isZero();
            assertThat(r.connectsPerSecond()).isPositive();
            assertThat(r.subscribesPerSecond()).isPositive();
            assertThat(r.deliveriesPerSecond()).isPositive();
            assertThat(r.p99Millis()).isGreaterThanOrEqualTo(r.p50Millis());
        });
        assertThat(SignalingBenchmark.table(results))
                .contains("ratios to the reference")
                .contains("history on / off");
    }

    @Test
    void theFirstMinuteRunsBothGeneratorsAgainstFreshServersAndLosesNothing() throws Exception {
        var runs = FirstMinuteBenchmark.run(FirstMinuteBenchmark.SMOKE);

        assertThat(runs).hasSize(16);
        assertThat(runs)
                .filteredOn(r -> r.generator() == FirstMinuteBenchmark.Generator.NODE)
                .extracting(r -> r.result().target())
                .containsExactly(
                        "y-webrtc server.js, node ws, round 1",
                        "y-webrtc server.js, node ws, round 2",
                        "gateway, default flags, node ws, round 1",
                        "gateway, default flags, node ws, round 2",
                        "gateway, images' flags, node ws, round 1",
                        "gateway, images' flags, node ws, round 2",
                        "gateway, images' flags + AOT cache, node ws, round 1",
                        "gateway, images' flags + AOT cache, node ws, round 2");
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.result().lost()).as("lost in %s", r.result().target()).isZero();
            assertThat(r.result().duplicates())
                    .as("duplicated in %s", r.result().target())
                    .isZero();
            assertThat(r.result().p99Millis()).isGreaterThanOrEqualTo(r.result().p50Millis());
            assertThat(r.rssMb()).isPositive();
        });
        assertThat(runs)
                .filteredOn(r -> r.server().startsWith("gateway"))
                .allSatisfy(r -> assertThat(r.compilerSeconds()).isFinite());
        assertThat(FirstMinuteBenchmark.imageFlags()).contains("-XX:+UseCompactObjectHeaders");
        assertThat(FirstMinuteBenchmark.table(runs)).contains("ratios to y-webrtc's server");
    }

    @Test
    void theIdleBenchmarkHoldsConnectionsToBothServersAndMeasuresTheirMemory() throws Exception {
        var results = IdleBenchmark.run(IdleBenchmark.SMOKE);

        assertThat(results)
                .extracting(IdleBenchmark.Result::target)
                .containsExactly("y-webrtc server.js", "gateway, 1 node");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.connections()).isEqualTo(IdleBenchmark.SMOKE.connections());
            assertThat(r.connectsPerSecond()).isPositive();
            assertThat(r.rssKbPerConnection()).isFinite();
        });
        assertThat(results.get(1).heapKbPerConnection())
                .as("the gateway's live heap, read with jcmd")
                .isFinite();
        assertThat(IdleBenchmark.table(results)).contains("RSS target <= 15 KB");
    }

    @Test
    void theSoakReconnectsPublishesNotifiesAndLosesNothing() throws Exception {
        var result = SoakBenchmark.run(SoakBenchmark.SMOKE);

        assertThat(result.minutes()).hasSize(SoakBenchmark.SMOKE.minutes()).allSatisfy(m -> {
            assertThat(m.reconnects()).isPositive();
            assertThat(m.published()).isPositive();
            assertThat(m.notified()).isPositive();
            assertThat(m.rssMb()).isPositive();
            assertThat(m.heapMb()).isPositive();
        });
        assertThat(result.lostPublishes()).isZero();
        assertThat(result.lostNotifications()).isZero();
        assertThat(result.errorFrames()).isZero();
        assertThat(SoakBenchmark.table(result)).contains("from minute 2");
    }

    @Test
    void theLocalStackBenchmarkStartsTheStackAndGetsAPong() throws Exception {
        var result = LocalStackBenchmark.run(1, false);

        assertThat(result.stackSeconds()).isPositive();
        assertThat(result.referenceSeconds()).isPositive();
        assertThat(result.breakdown()).contains("emulatorsMs=");
        assertThat(LocalStackBenchmark.table(result)).contains("target: ours <= 3 s");
    }

    @Test
    void theLambdaStartBenchmarkMakesTheAuthorizerFromItsZip() throws Exception {
        var result = LambdaStartBenchmark.run(1);

        assertThat(result.handlerMs()).isPositive();
        assertThat(result.libraryMs()).isPositive();
        assertThat(LambdaStartBenchmark.table(result)).contains("authorizer handler / verifier");
    }

    @Test
    void theFanOutBenchmarkRunsEveryShapeAndLosesNothing() throws Exception {
        var results = FanOutBenchmark.run(List.of(FanOutBenchmark.SMOKE));

        assertThat(results).extracting(FanOutBenchmark.Result::shape).containsExactly(FanOutBenchmark.Shape.values());
        assertThat(results).allSatisfy(r -> {
            assertThat(r.lost()).as("lost in %s", r.shape()).isZero();
            assertThat(r.duplicates()).as("duplicated in %s", r.shape()).isZero();
            assertThat(r.deliveriesPerSecond()).isPositive();
        });
        assertThat(FanOutBenchmark.table(results)).contains("broadcast");
    }
}
