package dev.switchboard.bench.signaling;

import dev.switchboard.bench.Measure;
import dev.switchboard.bench.signaling.SignalingLoad.Plan;
import dev.switchboard.bench.signaling.SignalingLoad.Result;
import dev.switchboard.emulators.EmulatorSettings;
import dev.switchboard.emulators.Emulators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The signaling benchmark: one plan against y-webrtc's own server (the reference), one gateway node and two gateway
 * nodes, in one run, with the same load generator; the table gives each gateway figure as a ratio of the
 * reference's.
 */
public final class SignalingBenchmark {
    /** Rooms of 10, unpaced: as many deliveries per second as each server manages. */
    public static final Plan UNPACED = new Plan(20, 10, 200, 0, 100);
    /** Rooms of 10 at 5,000 publishes/s, which is 50,000 deliveries/s: latency under a steady load. */
    public static final Plan PACED = new Plan(20, 10, 200, 5_000, 100);
    /**
     * Warms a gateway's connect and subscribe paths (JIT compilation needs thousands of calls; a plan has 200
     * connections) before anything is measured: 1,000 connections, one message each, run twice.
     */
    static final Plan CONNECT_WARM_UP = new Plan(100, 10, 1, 0, 16);

    /**
     * A room of 10 at 100 publishes/s (1,000 deliveries/s): publish latency of a topic with history, against the same
     * room without (each publish then waits for its conditional PutItem). Run last, on one more node whose rules keep
     * history for every bench room.
     */
    public static final Plan HISTORY = new Plan(1, 10, 100, 100, 100);

    /** The rules of the history run: every bench room keeps its last 100 messages. */
    static final String HISTORY_RULES = "[{\"pattern\":\"bench-room-*\",\"subscribe\":true,\"publish\":true,"
            + "\"history\":100,\"historyTtl\":\"PT10M\"},{\"pattern\":\"*\",\"subscribe\":true,\"publish\":true}]";

    /** The target name of the history run. */
    static final String WITH_HISTORY = "gateway, 1 node, history";

    /** A moment of everything, for the tests. */
    public static final Plan SMOKE = new Plan(2, 3, 5, 0, 16);

    private SignalingBenchmark() {}

    /**
     * The plans of a full run: unpaced, paced and history, or those named in {@code bench.signaling.plans}
     * (separated by commas), e.g. {@code -Dbench.signaling.plans=paced}.
     */
    public static List<Plan> plans() {
        var named = Map.of("unpaced", UNPACED, "paced", PACED, "history", HISTORY);
        var given = System.getProperty("bench.signaling.plans", "unpaced,paced,history");
        var plans = new ArrayList<Plan>();
        for (var name : given.split(",")) {
            var plan = named.get(name.strip());
            if (plan == null) {
                throw new IllegalArgumentException(
                        "bench.signaling.plans: unknown plan " + name + " (unpaced, paced, history)");
            }
            plans.add(plan);
        }
        return plans;
    }

    /** Runs each plan against every target; in a full run the load generator warms up on the reference first. */
    public static List<Result> run(List<Plan> plans, boolean warmUp) throws InterruptedException {
        var results = new ArrayList<Result>();
        try (var reference = YWebrtcServer.start()) {
            if (warmUp) {
                new SignalingLoad(plans.getFirst()).run("warm-up", i -> reference.uri(), reference::cpu);
            }
            for (var plan : plans) {
                results.add(progress(
                        new SignalingLoad(plan).run("y-webrtc server.js", i -> reference.uri(), reference::cpu)));
            }
        }
        try (var emulators = Emulators.start(EmulatorSettings.ephemeral())) {
            var connections = Math.max(
                    CONNECT_WARM_UP.connections(),
                    plans.stream().mapToInt(Plan::connections).max().orElseThrow());
            // bench.signaling.rounds: the one- and two-node runs alternate that many times, so a ratio between them
            // is not one moment's noise on a shared machine.
            for (var run = 0; run < Integer.getInteger("bench.signaling.rounds", 1) * 2; run++) {
                var nodes = 1 + run % 2;
                try (var cluster = new GatewayCluster(emulators, nodes, connections)) {
                    if (warmUp) {
                        // As the reference's Node process, the gateways' JVMs run warm (JIT-compiled) paths.
                        for (var round = 0; round < 2; round++) {
                            Measure.awaitQuiet(cluster::cpu, Duration.ofSeconds(30));
                            new SignalingLoad(CONNECT_WARM_UP).run("warm-up", cluster::uri, cluster::cpu);
                        }
                        Measure.awaitQuiet(cluster::cpu, Duration.ofSeconds(30));
                        new SignalingLoad(plans.getFirst()).run("warm-up", cluster::uri, cluster::cpu);
                    }
                    for (var plan : plans) {
                        if (warmUp) {
                            // What the previous run left (deregistering its connections) is not charged to this one.
                            Measure.awaitQuiet(cluster::cpu, Duration.ofSeconds(30));
                        }
                        var name = "gateway, " + nodes + (nodes == 1 ? " node" : " nodes");
                        results.add(progress(new SignalingLoad(plan).run(name, cluster::uri, cluster::cpu)));
                    }
                }
            }
            if (!List.of(HISTORY, SMOKE).contains(plans.getLast())) {
                return results; // plans chosen without the history plan: no history run
            }
            // The last plan once more, on a node whose rules keep history for the bench rooms.
            try (var cluster = new GatewayCluster(emulators, 1, connections, Map.of("TOPICS_RULES", HISTORY_RULES))) {
                var plan = plans.getLast();
                if (warmUp) {
                    for (var round = 0; round < 2; round++) {
                        Measure.awaitQuiet(cluster::cpu, Duration.ofSeconds(30));
                        new SignalingLoad(plan).run("warm-up", cluster::uri, cluster::cpu);
                    }
                    Measure.awaitQuiet(cluster::cpu, Duration.ofSeconds(30));
                }
                results.add(progress(new SignalingLoad(plan).run(WITH_HISTORY, cluster::uri, cluster::cpu)));
            }
        }
        return results;
    }

    private static Result progress(Result result) {
        System.err.println("signaling: " + result);
        return result;
    }

    /** One line per run, then each gateway run as ratios of the reference run with the same plan. */
    public static String table(List<Result> results) {
        var lines = new ArrayList<String>();
        lines.add(String.format(
                Locale.ROOT,
                "%-20s %-22s %10s %12s %13s %8s %8s %6s %6s %10s %10s %10s",
                "signaling",
                "rooms x peers x msgs",
                "connects/s",
                "subscribes/s",
                "deliveries/s",
                "p50 ms",
                "p99 ms",
                "lost",
                "dups",
                "cpu us/con",
                "cpu us/sub",
                "cpu us/del"));
        for (var r : results) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-20s %-22s %10.0f %12.0f %13.0f %8.2f %8.2f %6d %6d %10.0f %10.0f %10.2f",
                    r.target(),
                    shape(r.plan()),
                    r.connectsPerSecond(),
                    r.subscribesPerSecond(),
                    r.deliveriesPerSecond(),
                    r.p50Millis(),
                    r.p99Millis(),
                    r.lost(),
                    r.duplicates(),
                    r.cpu().perConnect(),
                    r.cpu().perSubscribe(),
                    r.cpu().perDelivery()));
        }
        lines.add("ratios to the reference (connects, subscribes, deliveries: higher is better; p99 and the server's"
                + " CPU per operation: lower is better)");
        for (var r : results) {
            results.stream()
                    .filter(ref ->
                            ref.target().startsWith("y-webrtc") && ref.plan().equals(r.plan()))
                    .filter(ref -> ref != r)
                    .findFirst()
                    .ifPresent(ref -> lines.add(String.format(
                            Locale.ROOT,
                            "%-20s %-22s %10.2f %12.2f %13.2f %8s %8.2f %6s %6s %10.2f %10.2f %10.2f",
                            r.target(),
                            shape(r.plan()),
                            r.connectsPerSecond() / ref.connectsPerSecond(),
                            r.subscribesPerSecond() / ref.subscribesPerSecond(),
                            r.deliveriesPerSecond() / ref.deliveriesPerSecond(),
                            "",
                            r.p99Millis() / ref.p99Millis(),
                            "",
                            "",
                            ratio(r.cpu().perConnect(), ref.cpu().perConnect()),
                            ratio(r.cpu().perSubscribe(), ref.cpu().perSubscribe()),
                            ratio(r.cpu().perDelivery(), ref.cpu().perDelivery()))));
        }
        for (var kept : results) {
            if (!kept.target().equals(WITH_HISTORY)) {
                continue;
            }
            results.stream()
                    .filter(r ->
                            r.target().equals("gateway, 1 node") && r.plan().equals(kept.plan()))
                    .findFirst()
                    .ifPresent(plain -> lines.add(String.format(
                            Locale.ROOT,
                            "history on / off, %s, 1 node: p50 %.2f, p99 %.2f, CPU per delivery %.2f",
                            shape(kept.plan()),
                            kept.p50Millis() / plain.p50Millis(),
                            kept.p99Millis() / plain.p99Millis(),
                            ratio(kept.cpu().perDelivery(), plain.cpu().perDelivery()))));
        }
        return String.join(System.lineSeparator(), lines);
    }

    /** NaN when the reference's CPU was below the clock's resolution (10 ms over the phase). */
    private static double ratio(double ours, double reference) {
        return reference == 0 ? Double.NaN : ours / reference;
    }

    private static String shape(Plan plan) {
        return plan.rooms() + "x" + plan.peers() + "x" + plan.messages()
                + (plan.rate() == 0 ? " unpaced" : " @" + plan.rate() * plan.peers() + "/s");
    }
}
