package dev.switchboard.bench;

import dev.switchboard.bench.fanout.FanOutBenchmark;
import dev.switchboard.bench.idle.IdleBenchmark;
import dev.switchboard.bench.lambda.LambdaStartBenchmark;
import dev.switchboard.bench.local.LocalStackBenchmark;
import dev.switchboard.bench.signaling.FirstMinuteBenchmark;
import dev.switchboard.bench.signaling.SignalingBenchmark;
import dev.switchboard.bench.soak.SoakBenchmark;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints one summary table with each "ours" beside its "reference" and their ratio.
 * {@code bin/bench} runs the full suite; {@code --smoke} runs every benchmark for a moment, in process, so the
 * tests can keep them from rotting.
 */
public final class Benchmarks {
    private Benchmarks() {}

    /**
     * {@code bin/bench [--smoke] [jmh|signaling|firstminute|idle|local|lambda|fanout|soak]}: every benchmark but the soak (or the named
     * one; the soak runs only when named: 10 minutes), then one summary. The signaling
     * benchmark needs Node.js and {@code bench/node}'s npm packages (bin/bench installs them).
     */
    public static void main(String[] args) {
        try {
            System.out.println();
            System.out.println(suite(List.of(args)));
            System.exit(0); // the emulators' and clients' threads do not hold the summary back
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1); // nor a failure
        }
    }

    private static String suite(List<String> arguments) throws Exception {
        var smoke = arguments.contains("--smoke");
        var only = arguments.stream().filter(a -> !a.startsWith("--")).toList();
        var summary = new ArrayList<String>();
        if (only.isEmpty() || only.contains("jmh")) {
            summary.add(summary(run(smoke)));
        }
        if (only.isEmpty() || only.contains("signaling")) {
            var plans = smoke ? List.of(SignalingBenchmark.SMOKE) : SignalingBenchmark.plans();
            summary.add(SignalingBenchmark.table(SignalingBenchmark.run(plans, !smoke)));
        }
        if (only.isEmpty() || only.contains("firstminute")) {
            var plan = smoke ? FirstMinuteBenchmark.SMOKE : FirstMinuteBenchmark.FULL;
            summary.add(FirstMinuteBenchmark.table(FirstMinuteBenchmark.run(plan)));
        }
        if (only.isEmpty() || only.contains("idle")) {
            summary.add(IdleBenchmark.table(IdleBenchmark.run(smoke ? IdleBenchmark.SMOKE : IdleBenchmark.FULL)));
        }
        if (only.isEmpty() || only.contains("local")) {
            summary.add(LocalStackBenchmark.table(LocalStackBenchmark.run(smoke ? 1 : 3, !smoke)));
        }
        if (only.isEmpty() || only.contains("lambda")) {
            summary.add(LambdaStartBenchmark.table(LambdaStartBenchmark.run(smoke ? 1 : 9)));
        }
        if (only.isEmpty() || only.contains("fanout")) {
            var plans = smoke
                    ? List.of(FanOutBenchmark.SMOKE)
                    : Boolean.getBoolean("bench.fanout.paced")
                            ? List.of(FanOutBenchmark.PACED)
                            : List.of(FanOutBenchmark.UNPACED, FanOutBenchmark.PACED);
            summary.add(FanOutBenchmark.table(FanOutBenchmark.run(plans)));
        }
        if (only.contains("soak")) {
            summary.add(SoakBenchmark.table(SoakBenchmark.run(smoke ? SoakBenchmark.SMOKE : SoakBenchmark.FULL)));
        }
        return String.join(System.lineSeparator() + System.lineSeparator(), summary);
    }

    /** Runs every benchmark: full (a fork, 3 warm-ups and 5 measurements of 2 s) or smoke (in process, 0.2 s). */
    public static Collection<RunResult> run(boolean smoke) throws org.openjdk.jmh.runner.RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(TokenVerificationBenchmark.class.getName());
        options = smoke
                ? options.forks(0)
                        .warmupIterations(1)
                        .warmupTime(TimeValue.milliseconds(100))
                        .measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(200))
                : options.forks(1)
                        .jvmArgsAppend("-Xmx1g")
                        .warmupIterations(3)
                        .warmupTime(TimeValue.seconds(2))
                        .measurementIterations(5)
                        .measurementTime(TimeValue.seconds(2));
        return new Runner(options.build()).run();
    }

    /** One line per benchmark pair: ours, the reference, ours / reference. */
    public static String summary(Collection<RunResult> results) {
        Map<String, Double> scores = new TreeMap<>();
        for (var result : results) {
            var name = result.getParams().getBenchmark();
            scores.put(
                    name.substring(name.lastIndexOf('.') + 1),
                    result.getPrimaryResult().getScore());
        }
        var lines = new ArrayList<String>();
        lines.add(String.format(Locale.ROOT, "%-16s %14s %14s %8s", "benchmark", "ours (ops/s)", "reference", "ratio"));
        scores.forEach((name, score) -> {
            if (name.endsWith("Ours")) {
                var pair = name.substring(0, name.length() - "Ours".length());
                var reference = scores.getOrDefault(pair + "Reference", Double.NaN);
                lines.add(String.format(
                        Locale.ROOT, "%-16s %14.0f %14.0f %8.2f", pair, score, reference, score / reference));
            }
        });
        return String.join(System.lineSeparator(), lines);
    }
}
