package dev.switchboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** What the load generators share: waiting for receipts with a stall deadline, and percentiles. */
public final class Measure {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux we run

    private Measure() {}

    /** Waits until {@code counter} reaches {@code expected}, or it has not moved for {@code stall}. */
    public static void awaitCount(long expected, AtomicLong counter, Duration stall) throws InterruptedException {
        var seen = -1L;
        var movedAt = System.nanoTime();
        while (counter.get() < expected) {
            var now = counter.get();
            if (now != seen) {
                seen = now;
                movedAt = System.nanoTime();
            } else if (System.nanoTime() - movedAt > stall.toNanos()) {
                return; // the rest is lost: reported, not waited for
            }
            Thread.sleep(5); // polling a counter with a stall deadline
        }
    }

    /**
     * Waits until a server is quiet — it used under 5 % of a core over 500 ms — for at most {@code deadline}: what
     * the previous run left behind (deregistering its closed connections) is not charged to the next.
     */
    public static void awaitQuiet(Supplier<Duration> cpu, Duration deadline) throws InterruptedException {
        var until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            var before = cpu.get();
            Thread.sleep(500); // sampling CPU use over a window, under a deadline
            if (cpu.get().minus(before).toMillis() < 25) {
                return;
            }
        }
    }

    /**
     * The CPU time the JIT compiler threads of the given JVMs (by process id) have used so far; empty where {@code
     * /proc} cannot say (not Linux). A run measured while C2 still compiles pays for the compiler twice: its CPU, and
     * the slower code it has not replaced yet.
     */
    public static Optional<Duration> compilerCpu(List<Long> pids) {
        var ticks = compilerTicks(pids);
        return ticks < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND));
    }

    /** CPU clock ticks the JVMs' compiler threads used so far; -1 when /proc cannot say. */
    private static long compilerTicks(List<Long> pids) {
        var ticks = 0L;
        for (var pid : pids) {
            var tasks = Path.of("/proc", Long.toString(pid), "task");
            try (var threads = Files.list(tasks)) {
                for (var thread : threads.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(thread.resolve("stat"));
                    } catch (IOException e) {
                        continue; // the thread ended meanwhile
                    }
                    var name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return ticks;
    }

    /**
     * Waits, up to {@code deadline}, until the whole machine is quiet (under 15 % CPU over half a second): what an
     * earlier benchmark left behind (the emulators still deleting its items, its processes exiting) must not slow
     * the next one, which starts processes of its own.
     */
    public static void awaitQuietMachine(Duration deadline) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var until = System.nanoTime() + deadline.toNanos();
        os.getCpuLoad(); // the first reading only starts the window
        while (System.nanoTime() < until) {
            Thread.sleep(500); // sampling the machine's CPU over a window, under a deadline
            if (os.getCpuLoad() < 0.15) {
                return;
            }
        }
    }

    /**
     * The load generator's WebSocket clients: one JDK HTTP client per core (at least 2), each with one selector
     * thread, so receiving is not single-threaded; connections are spread over them.
     */
    public static List<HttpClient> webSocketClients(Duration connectTimeout) {
        var clients = new ArrayList<HttpClient>();
        for (var i = 0; i < Math.max(2, Runtime.getRuntime().availableProcessors()); i++) {
            clients.add(HttpClient.newBuilder()
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .connectTimeout(connectTimeout)
                    .build());
        }
        return clients;
    }

    /** The {@code p} percentile of sorted nanosecond latencies, in milliseconds; NaN when there are none. */
    public static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }

    /** The middle of {@code values} (the upper one of an even count). */
    public static double median(double[] values) {
        var sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * {@code relative} in this checkout: benchmarks run from its root ({@code bin/bench}) or a module of it (the
     * smoke test), so the working directory and those above it are tried.
     *
     * @throws IllegalStateException naming {@code missing} when there is none
     */
    public static Path inCheckout(String relative, String missing) {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var found = dir.resolve(relative);
            if (Files.exists(found)) {
                return found;
            }
        }
        throw new IllegalStateException(
                "no " + relative + " above " + Path.of("").toAbsolutePath() + ": " + missing);
    }
}
