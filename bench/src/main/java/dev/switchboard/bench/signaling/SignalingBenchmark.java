package dev.switchboard.bench.signaling;

import dev.switchboard.bench.signaling.SignalingLoad.Plan;
import dev.switchboard.bench.signaling.SignalingLoad.Result;
import dev.switchboard.emulators.EmulatorSettings;
import dev.switchboard.emulators.Emulators;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The signaling benchmark: one plan against y-webrtc's own server (the reference), one gateway node and two gateway
 * nodes, in one run, with the same load generator; the table gives each gateway figure as a ratio of the
 * reference's.
 */
public final class SignalingBenchmark {
    /** Rooms of 10, unpaced: as many deliveries per second as each server manages. */
    public static final Plan UNPACED = new Plan(20, 10, 200, 0, 100);
    /** Rooms of 10 at 2,000 publishes/s, which is 20,000 deliveries/s: latency under a steady load. */
    public static final Plan PACED = new Plan(20, 10, 100, 2_000, 100);
    /** A moment of everything, for the tests. */
    public static final Plan SMOKE = new Plan(2, 3, 5, 0, 16);

    private SignalingBenchmark() {}

    /** Runs each plan against every target; in a full run the load generator warms up on the reference first. */
    public static List<Result> run(List<Plan> plans, boolean warmUp) throws InterruptedException {
        var results = new ArrayList<Result>();
        try (var reference = YWebrtcServer.start()) {
            if (warmUp) {
                new SignalingLoad(plans.getFirst()).run("warm-up", i -> reference.uri());
            }
            for (var plan : plans) {
                results.add(new SignalingLoad(plan).run("y-webrtc server.js", i -> reference.uri()));
            }
        }
        try (var emulators = Emulators.start(EmulatorSettings.ephemeral())) {
            for (var nodes = 1; nodes <= 2; nodes++) {
                for (var plan : plans) {
                    try (var cluster = new GatewayCluster(emulators, nodes, plan.connections())) {
                        var name = "gateway, " + nodes + (nodes == 1 ? " node" : " nodes");
                        results.add(new SignalingLoad(plan).run(name, cluster::uri));
                    }
                }
            }
        }
        return results;
    }

    /** One line per run, then each gateway run as ratios of the reference run with the same plan. */
    public static String table(List<Result> results) {
        var lines = new ArrayList<String>();
        lines.add(String.format(
                Locale.ROOT,
                "%-20s %-22s %10s %12s %13s %8s %8s %6s %6s",
                "signaling",
                "rooms x peers x msgs",
                "connects/s",
                "subscribes/s",
                "deliveries/s",
                "p50 ms",
                "p99 ms",
                "lost",
                "dups"));
        for (var r : results) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-20s %-22s %10.0f %12.0f %13.0f %8.2f %8.2f %6d %6d",
                    r.target(),
                    shape(r.plan()),
                    r.connectsPerSecond(),
                    r.subscribesPerSecond(),
                    r.deliveriesPerSecond(),
                    r.p50Millis(),
                    r.p99Millis(),
                    r.lost(),
                    r.duplicates()));
        }
        lines.add("ratios to the reference (connects, subscribes, deliveries: higher is better; p99: lower is better)");
        for (var r : results) {
            results.stream()
                    .filter(ref ->
                            ref.target().startsWith("y-webrtc") && ref.plan().equals(r.plan()))
                    .filter(ref -> ref != r)
                    .findFirst()
                    .ifPresent(ref -> lines.add(String.format(
                            Locale.ROOT,
                            "%-20s %-22s %10.2f %12.2f %13.2f %8s %8.2f",
                            r.target(),
                            shape(r.plan()),
                            r.connectsPerSecond() / ref.connectsPerSecond(),
                            r.subscribesPerSecond() / ref.subscribesPerSecond(),
                            r.deliveriesPerSecond() / ref.deliveriesPerSecond(),
                            "",
                            r.p99Millis() / ref.p99Millis())));
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static String shape(Plan plan) {
        return plan.rooms() + "x" + plan.peers() + "x" + plan.messages()
                + (plan.rate() == 0 ? " unpaced" : " @" + plan.rate() * plan.peers() + "/s");
    }
}
