package dev.switchboard.bench.signaling;

import dev.switchboard.bench.Measure;
import dev.switchboard.bench.idle.IdleBenchmark;
import dev.switchboard.bench.signaling.SignalingLoad.Plan;
import dev.switchboard.bench.signaling.SignalingLoad.Result;
import dev.switchboard.emulators.EmulatorSettings;
import dev.switchboard.emulators.Emulators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Latency from the first minute, tried as a new user would: a server started fresh, measured at once (no warm-up),
 * then once more on the same process. Each load generator — Node.js's {@code ws} (as y-webrtc's clients) and our
 * JDK one — runs the plan against y-webrtc's server, a gateway node with the JVM's default flags and one with the
 * Docker images' flags (read from {@code docker/gateway.Dockerfile}, so what is measured is what ships), and one with
 * the flags of {@code bench.service.jvm} when given, and one with the images' flags and an ahead-of-time cache from a
 * training run (JDK 25), each its own fresh process; the table gives each gateway run as ratios of the reference's run of the same generator and
 * round. What the first round costs over the second is the JIT's and the heap's sizing: the compiler threads' CPU
 * is reported per round.
 */
public final class FirstMinuteBenchmark {
    /** 100 rooms × 10 peers × 20 messages at 2,000 publishes/s: 20,000 deliveries/s. */
    public static final Plan FULL = new Plan(100, 10, 20, 2_000, 100);

    /** A moment of everything, for the tests. */
    public static final Plan SMOKE = new Plan(2, 3, 5, 100, 16);

    private static final Pattern IMAGE_FLAGS = Pattern.compile("(?m)^ENV JDK_JAVA_OPTIONS=\"([^\"]*)\"");

    /** The load generators. */
    public enum Generator {
        NODE("node ws"),
        JDK("jdk");

        final String label;

        Generator(String label) {
            this.label = label;
        }
    }

    /**
     * One run: {@code round} 1 starts as soon as the server is up ({@code sinceStart} after its launch), round 2 on
     * the same process after it; {@code rssMb} when the run ended, {@code compilerSeconds} the JIT's CPU during the
     * run (NaN for Node).
     */
    public record Run(
            Generator generator,
            String server,
            int round,
            double sinceStartSeconds,
            Result result,
            double rssMb,
            double compilerSeconds) {}

    /** A server under test, whichever it is: its connection URLs, its CPU so far, its process, how it stops. */
    private record Server(IntFunction<URI> uri, Supplier<Duration> cpu, long pid, Runnable stop)
            implements AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }
    }

    private FirstMinuteBenchmark() {}

    /** Every generator against every server, two rounds each, each server a fresh process. */
    public static List<Run> run(Plan plan) throws InterruptedException {
        var runs = new ArrayList<Run>();
        var images = imageFlags();
        try (var emulators = Emulators.start(EmulatorSettings.ephemeral())) {
            // One training run (the server's side of the load is the same whichever generator drives it).
            var cache = Runtime.version().feature() >= 25 && !Boolean.getBoolean("bench.firstminute.noaot")
                    ? train(emulators, plan, images)
                    : null;
            for (var generator : generators()) {
                Measure.awaitQuietMachine(Duration.ofSeconds(30));
                var launched = System.nanoTime();
                try (var reference = reference()) {
                    rounds(runs, generator, "y-webrtc server.js", reference, launched, plan);
                }
                for (var variant : variants(images).entrySet()) {
                    Measure.awaitQuietMachine(Duration.ofSeconds(30));
                    launched = System.nanoTime();
                    try (var gateway = gateway(emulators, plan, variant.getValue())) {
                        rounds(runs, generator, variant.getKey(), gateway, launched, plan);
                    }
                }
                if (cache == null) {
                    continue; // an ahead-of-time cache with profiles needs JDK 25
                }
                Measure.awaitQuietMachine(Duration.ofSeconds(30));
                launched = System.nanoTime();
                var withCache = new ArrayList<>(images);
                withCache.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"));
                try (var gateway = gateway(emulators, plan, withCache)) {
                    rounds(runs, generator, "gateway, images' flags + AOT cache", gateway, launched, plan);
                }
            }
            if (cache != null) {
                delete(cache);
            }
        }
        return runs;
    }

    /** Both load generators, or the one named in {@code bench.firstminute.generator} ({@code node} or {@code jdk}). */
    private static List<Generator> generators() {
        var named = System.getProperty("bench.firstminute.generator");
        return named == null ? List.of(Generator.values()) : List.of(Generator.valueOf(named.toUpperCase(Locale.ROOT)));
    }

    /**
     * The gateway's flag sets: the JVM's defaults, the images', and those of {@code bench.service.jvm} when given (to
     * try a set before it goes into the images).
     */
    private static Map<String, List<String>> variants(List<String> images) {
        var variants = new LinkedHashMap<String, List<String>>();
        variants.put("gateway, default flags", List.of());
        variants.put("gateway, images' flags", images);
        var given = GatewayCluster.serviceFlags();
        if (!given.isEmpty()) {
            variants.put("gateway, given flags", given);
        }
        return variants;
    }

    /**
     * A training run for JDK 25's ahead-of-time cache (JEP 483, 514, 515: classes loaded and linked, and method
     * profiles, so the JIT compiles hot code sooner): a gateway with the images' flags runs the plan once and stops
     * gracefully, which writes the cache. What the measured start then reads.
     */
    private static Path train(Emulators emulators, Plan plan, List<String> images) {
        try {
            var cache = Files.createTempDirectory("switchboard-aot-").resolve("gateway.aot");
            var training = new ArrayList<>(images);
            training.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"));
            var cluster = new GatewayCluster(emulators, 1, plan.connections(), Map.of(), training);
            try {
                new NodeLoad(plan).run("training", cluster::uri, cluster::cpu);
                var node = cluster.nodes().getFirst();
                node.terminate();
                if (!node.waitFor(Duration.ofSeconds(120)) || !Files.exists(cache)) {
                    throw new IllegalStateException("the training run wrote no AOT cache at " + cache);
                }
                return cache;
            } finally {
                cluster.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path cache) {
        try {
            Files.deleteIfExists(cache);
            Files.deleteIfExists(cache.getParent());
        } catch (IOException e) {
            System.err.println("first minute: " + cache + " not deleted: " + e); // a temporary file: not fatal
        }
    }

    private static void rounds(
            List<Run> runs, Generator generator, String name, Server server, long launched, Plan plan)
            throws InterruptedException {
        for (var round = 1; round <= Integer.getInteger("bench.firstminute.rounds", 2); round++) {
            if (round > 1) {
                // What the previous round left (deregistering its connections) is not charged to this one.
                Measure.awaitQuiet(server.cpu(), Duration.ofSeconds(30));
            }
            var since = (System.nanoTime() - launched) / 1e9;
            var compiler0 = Measure.compilerCpu(List.of(server.pid()));
            var target = name + ", " + generator.label + ", round " + round;
            var result = generator == Generator.NODE
                    ? new NodeLoad(plan).run(target, server.uri(), server.cpu())
                    : new SignalingLoad(plan).run(target, server.uri(), server.cpu());
            var rss = IdleBenchmark.rssKb(server.pid()) / 1024.0;
            var compiler1 = Measure.compilerCpu(List.of(server.pid()));
            var compiler = compiler0.isPresent() && compiler1.isPresent() && !name.startsWith("y-webrtc")
                    ? compiler1.get().minus(compiler0.get()).toMillis() / 1e3
                    : Double.NaN;
            var run = new Run(generator, name, round, since, result, rss, compiler);
            System.err.println("first minute: " + run);
            runs.add(run);
        }
    }

    private static Server reference() {
        var server = YWebrtcServer.start();
        return new Server(i -> server.uri(), server::cpu, server.pid(), server::close);
    }

    private static Server gateway(Emulators emulators, Plan plan, List<String> flags) {
        var cluster = new GatewayCluster(emulators, 1, plan.connections(), Map.of(), flags);
        var pid = cluster.nodes().getFirst().process().pid();
        return new Server(cluster::uri, cluster::cpu, pid, cluster::close);
    }

    /** The JVM flags the gateway's Docker image sets ({@code JDK_JAVA_OPTIONS} in {@code docker/gateway.Dockerfile}). */
    public static List<String> imageFlags() {
        for (var file :
                List.of(Path.of("docker", "gateway.Dockerfile"), Path.of("..", "docker", "gateway.Dockerfile"))) {
            if (Files.exists(file)) {
                try {
                    var matcher = IMAGE_FLAGS.matcher(Files.readString(file));
                    if (matcher.find()) {
                        return List.of(matcher.group(1).strip().split("\\s+"));
                    }
                    throw new IllegalStateException(file + " sets no JDK_JAVA_OPTIONS");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("docker/gateway.Dockerfile not found (run from the repository's root)");
    }

    /** One line per run, then each gateway run as ratios of the reference's run with the same generator and round. */
    public static String table(List<Run> runs) {
        var lines = new ArrayList<String>();
        lines.add(String.format(
                Locale.ROOT,
                "%-44s %8s %10s %13s %8s %8s %6s %10s %8s %8s",
                "first minute, " + shape(runs),
                "start s",
                "connects/s",
                "deliveries/s",
                "p50 ms",
                "p99 ms",
                "lost+dup",
                "cpu us/del",
                "RSS MB",
                "JIT s"));
        for (var run : runs) {
            var r = run.result();
            lines.add(String.format(
                    Locale.ROOT,
                    "%-44s %8.1f %10.0f %13.0f %8.2f %8.2f %6d %10.2f %8.1f %8.2f",
                    r.target(),
                    run.sinceStartSeconds(),
                    r.connectsPerSecond(),
                    r.deliveriesPerSecond(),
                    r.p50Millis(),
                    r.p99Millis(),
                    r.lost() + r.duplicates(),
                    r.cpu().perDelivery(),
                    run.rssMb(),
                    run.compilerSeconds()));
        }
        lines.add("ratios to y-webrtc's server, same generator and round (p50, p99, CPU per delivery, RSS: lower is"
                + " better; deliveries/s: higher is better)");
        for (var run : runs) {
            runs.stream()
                    .filter(ref -> ref.server().startsWith("y-webrtc")
                            && ref.generator() == run.generator()
                            && ref.round() == run.round()
                            && ref != run)
                    .findFirst()
                    .ifPresent(ref -> lines.add(String.format(
                            Locale.ROOT,
                            "%-44s p50 %6.2f  p99 %6.2f  deliveries/s %5.2f  cpu/del %5.2f  RSS %5.2f",
                            run.result().target(),
                            run.result().p50Millis() / ref.result().p50Millis(),
                            run.result().p99Millis() / ref.result().p99Millis(),
                            run.result().deliveriesPerSecond() / ref.result().deliveriesPerSecond(),
                            run.result().cpu().perDelivery()
                                    / ref.result().cpu().perDelivery(),
                            run.rssMb() / ref.rssMb())));
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static String shape(List<Run> runs) {
        if (runs.isEmpty()) {
            return "no runs";
        }
        var plan = runs.getFirst().result().plan();
        return plan.rooms() + "x" + plan.peers() + "x" + plan.messages() + " @" + plan.rate() * plan.peers() + "/s";
    }
}
