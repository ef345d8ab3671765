package dev.switchboard.bench.soak;

import dev.switchboard.bench.Measure;
import dev.switchboard.bench.TextListener;
import dev.switchboard.bench.fanout.FanOutBenchmark;
import dev.switchboard.bench.idle.IdleBenchmark;
import dev.switchboard.bench.signaling.GatewayCluster;
import dev.switchboard.emulators.EmulatorSettings;
import dev.switchboard.emulators.Emulators;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A soak: one gateway node and the pusher hold {@code connections} clients, in rooms of 10, for {@code minutes}
 * while a share of them reconnects every minute, clients publish to their rooms and the pusher delivers
 * notifications. At the end of each minute the node's RSS and live heap (after a full GC) are read. Checked: every
 * publish reaches its room (its sender at least: y-webrtc relays to the sender too), every notification reaches its
 * user, no error frame arrives. Publishers and notified users are clients that never reconnect; the reconnecting ones are a
 * pool of a fifth of all, so what is lost can be told from what was never sent.
 */
public final class SoakBenchmark {
    /** One soak: {@code churn} of all connections reconnect each minute; rates are per second. */
    public record Plan(
            int connections,
            int minutes,
            Duration minute,
            double churn,
            int publishesPerSecond,
            int notificationsPerSecond) {}

    /** One minute's end: the node's memory, and what was sent and received during the minute. */
    public record Minute(
            int minute,
            long reconnects,
            double rssMb,
            double heapMb,
            long published,
            long notified,
            long outstandingPublishes,
            long outstandingNotifications,
            long errors) {}

    /** The whole soak: each minute, then what never arrived after the grace period. */
    public record Result(
            Plan plan, List<Minute> minutes, long lostPublishes, long lostNotifications, long errorFrames) {
        /** Spread of a figure from minute 2 on: (max − min) / min, in percent. */
        double spread(ToDoubleFunction<Minute> figure) {
            var from2 = minutes.stream().skip(1).mapToDouble(figure).toArray();
            if (from2.length < 2) {
                return 0;
            }
            var min = Arrays.stream(from2).min().orElseThrow();
            var max = Arrays.stream(from2).max().orElseThrow();
            return 100 * (max - min) / min;
        }
    }

    public static final Plan FULL = new Plan(
            Integer.getInteger("bench.soak.connections", 10_000),
            Integer.getInteger("bench.soak.minutes", 10),
            Duration.ofMinutes(1),
            0.10,
            200,
            50);

    public static final Plan SMOKE = new Plan(60, 2, Duration.ofSeconds(3), 0.10, 10, 5);

    private static final int ROOM = 10;
    private static final Duration GRACE = Duration.ofSeconds(30);

    private SoakBenchmark() {}

    public static Result run(Plan plan) throws InterruptedException {
        try (var emulators = Emulators.start(EmulatorSettings.ephemeral());
                var cluster = new GatewayCluster(emulators, 1, plan.connections(), Map.of());
                var sqs = Emulators.client(SqsAsyncClient.builder(), emulators.sqsEndpoint(), emulators.settings())) {
            var queueUrl = FanOutBenchmark.queue(emulators, "bench-soak");
            var pusher = FanOutBenchmark.startPusher(emulators, cluster, queueUrl);
            var clients = new Clients(cluster, plan);
            try {
                clients.connectAll();
                var pid = cluster.nodes().getFirst().process().pid();
                var minutes = new ArrayList<Minute>();
                var random = new Random(11);
                var seconds = Math.max(1, plan.minute().toMillis() / 1000);
                var tick = plan.minute().toNanos() / seconds;
                var reconnectsPerTick = Math.max(1, Math.round(plan.connections() * plan.churn() / seconds));
                var publishesPerTick =
                        Math.max(1, plan.publishesPerSecond() * plan.minute().toSeconds() / seconds);
                var notificationsPerTick = Math.max(
                        1, plan.notificationsPerSecond() * plan.minute().toSeconds() / seconds);
                for (var minute = 1; minute <= plan.minutes(); minute++) {
                    var start = System.nanoTime();
                    var reconnects = 0L;
                    var published = 0L;
                    var notified = 0L;
                    for (var second = 0; second < seconds; second++) {
                        reconnects += clients.reconnect(reconnectsPerTick);
                        for (var p = 0; p < publishesPerTick; p++) {
                            clients.publish(random);
                            published++;
                        }
                        var batch = new ArrayList<SendMessageBatchRequestEntry>();
                        for (var n = 0; n < notificationsPerTick; n++) {
                            batch.add(clients.notification(random, batch.size()));
                            notified++;
                            if (batch.size() == 10 || n == notificationsPerTick - 1) {
                                var entries = List.copyOf(batch);
                                sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                                        .join();
                                batch.clear();
                            }
                        }
                        LockSupport.parkNanos(start + tick * (second + 1) - System.nanoTime()); // pacing
                    }
                    var row = new Minute(
                            minute,
                            reconnects,
                            IdleBenchmark.rssKb(pid) / 1024.0,
                            IdleBenchmark.liveHeapKb(pid) / 1024.0,
                            published,
                            notified,
                            clients.pendingPublishes.size(),
                            clients.pendingNotifications.size(),
                            clients.errors.get());
                    minutes.add(row);
                    System.err.println("soak: " + row);
                }
                var deadline = System.nanoTime() + GRACE.toNanos();
                while ((!clients.pendingPublishes.isEmpty() || !clients.pendingNotifications.isEmpty())
                        && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a deadline, not a synchronization
                }
                return new Result(
                        plan,
                        minutes,
                        clients.pendingPublishes.size(),
                        clients.pendingNotifications.size(),
                        clients.errors.get());
            } finally {
                clients.close();
                GatewayCluster.stop(List.of(pusher));
            }
        }
    }

    public static String table(Result result) {
        var lines = new ArrayList<String>();
        lines.add(String.format(
                Locale.ROOT,
                "soak: %d connections, %.0f%% reconnecting a minute, %d publishes/s, %d notifications/s",
                result.plan().connections(),
                100 * result.plan().churn(),
                result.plan().publishesPerSecond(),
                result.plan().notificationsPerSecond()));
        lines.add(String.format(
                Locale.ROOT,
                "%6s %10s %10s %12s %10s %10s %12s %12s %7s",
                "minute",
                "reconnects",
                "RSS MB",
                "live heap MB",
                "published",
                "notified",
                "publish owed",
                "notice owed",
                "errors"));
        for (var m : result.minutes()) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%6d %10d %10.1f %12.1f %10d %10d %12d %12d %7d",
                    m.minute(),
                    m.reconnects(),
                    m.rssMb(),
                    m.heapMb(),
                    m.published(),
                    m.notified(),
                    m.outstandingPublishes(),
                    m.outstandingNotifications(),
                    m.errors()));
        }
        var rss = result.spread(Minute::rssMb);
        var heap = result.spread(Minute::heapMb);
        lines.add(String.format(
                Locale.ROOT,
                "from minute 2: RSS spread %.1f%%, live heap spread %.1f%% (target <= 5%%: %s); lost publishes %d,"
                        + " lost notifications %d, error frames %d (target 0: %s)",
                rss,
                heap,
                rss <= 5 && heap <= 5 ? "met" : "missed",
                result.lostPublishes(),
                result.lostNotifications(),
                result.errorFrames(),
                result.lostPublishes() + result.lostNotifications() + result.errorFrames() == 0 ? "met" : "missed"));
        return String.join(System.lineSeparator(), lines);
    }

    /** The clients, one per slot; slots below {@code churnPool} reconnect, the others publish and are notified. */
    private static final class Clients implements AutoCloseable {
        private final GatewayCluster cluster;
        private final Plan plan;
        private final List<HttpClient> http = Measure.webSocketClients(Duration.ofSeconds(30));
        private final AtomicReferenceArray<CompletableFuture<WebSocket>> sockets;
        private final int churnPool;
        private int nextToReconnect;
        private final AtomicLong sequence = new AtomicLong();
        final Map<String, Boolean> pendingPublishes = new ConcurrentHashMap<>();
        final Map<String, Boolean> pendingNotifications = new ConcurrentHashMap<>();
        final AtomicLong errors = new AtomicLong();

        Clients(GatewayCluster cluster, Plan plan) {
            this.cluster = cluster;
            this.plan = plan;
            this.sockets = new AtomicReferenceArray<>(plan.connections());
            this.churnPool = Math.max(1, plan.connections() / 5);
        }

        private static String room(int slot) {
            return "soak-room-" + slot / ROOM;
        }

        void connectAll() {
            var opening = new ArrayList<CompletableFuture<WebSocket>>();
            for (var slot = 0; slot < plan.connections(); slot++) {
                opening.add(open(slot));
                if (opening.size() == 64) { // in flight at once, as a reconnecting crowd would be
                    CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
                            .join();
                    opening.clear();
                }
            }
            CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).join();
        }

        private CompletableFuture<WebSocket> open(int slot) {
            var socket = http.get(slot % http.size())
                    .newWebSocketBuilder()
                    .buildAsync(cluster.uri(slot), new Client())
                    .thenCompose(
                            ws -> ws.sendText("{\"type\":\"subscribe\",\"topics\":[\"" + room(slot) + "\"]}", true));
            sockets.set(slot, socket);
            return socket;
        }

        /** Closes and opens again the next {@code count} of the pool; answers how many. */
        long reconnect(long count) {
            for (var i = 0; i < count; i++) {
                var slot = nextToReconnect;
                nextToReconnect = (nextToReconnect + 1) % churnPool;
                var old = sockets.get(slot);
                old.thenAccept(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "soak"));
                open(slot);
            }
            return count;
        }

        private int stableSlot(Random random) {
            return churnPool + random.nextInt(plan.connections() - churnPool);
        }

        void publish(Random random) {
            var slot = stableSlot(random);
            var id = "p:" + slot + ":" + sequence.incrementAndGet();
            pendingPublishes.put(id, true);
            sockets.get(slot)
                    .thenCompose(ws -> ws.sendText(
                            "{\"type\":\"publish\",\"topic\":\"" + room(slot) + "\",\"data\":\"" + id + "\"}", true));
        }

        SendMessageBatchRequestEntry notification(Random random, int entry) {
            var slot = stableSlot(random);
            var id = "n:" + slot + ":" + sequence.incrementAndGet();
            pendingNotifications.put(id, true);
            return SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(entry))
                    .messageBody("{\"users\":[\"" + GatewayCluster.user(slot) + "\"],\"data\":\"" + id + "\"}")
                    .build();
        }

        @Override
        public void close() {
            for (var slot = 0; slot < sockets.length(); slot++) {
                sockets.get(slot).thenAccept(WebSocket::abort);
            }
            http.forEach(HttpClient::shutdownNow);
        }

        /** A client: a publish of its own or a notification settles what it owes; an error frame is counted. */
        private final class Client extends TextListener {
            @Override
            protected void receive(String frame) {
                if (frame.startsWith("\"n:")) {
                    pendingNotifications.remove(frame.substring(1, frame.length() - 1));
                } else if (frame.contains("\"type\":\"publish\"")) {
                    var at = frame.indexOf("\"data\":\"p:");
                    if (at >= 0) {
                        var from = at + "\"data\":\"".length();
                        pendingPublishes.remove(frame.substring(from, frame.indexOf('"', from)));
                    }
                } else if (frame.contains("\"type\":\"error\"")) {
                    if (errors.incrementAndGet() <= 5) {
                        System.err.println("soak: error frame " + frame);
                    }
                }
            }
        }
    }
}
