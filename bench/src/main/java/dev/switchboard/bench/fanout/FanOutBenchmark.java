package dev.switchboard.bench.fanout;

import dev.switchboard.bench.Measure;
import dev.switchboard.bench.TextListener;
import dev.switchboard.bench.signaling.GatewayCluster;
import dev.switchboard.emulators.EmulatorSettings;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.ServiceProcess;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The fan-out benchmark: {@code connections} real WebSocket clients over two gateway nodes ({@code users} users, so
 * each user has {@code connections / users} connections; each connection subscribed to one of {@code rooms} topics),
 * one pusher (its own process, per node: the default) on a notifications queue, and notification requests sent to
 * SQS — to {@value #USERS_PER_REQUEST} users, to one topic, or to everyone — unpaced, or paced to a delivery rate.
 * Measures deliveries/s (first SendMessage → last receipt), SendMessage → receipt latency, the gateways' and the
 * pusher's CPU per delivery, and checks every delivery arrived once. The reference, in the same run: the queue alone ({@link
 * QueueAlone}) — its ceiling (messages received and deleted per second) and its own SendMessage → ReceiveMessage
 * latency at the same message rate.
 */
public final class FanOutBenchmark {
    /** Whom each request targets. */
    public enum Shape {
        USERS,
        TOPICS,
        BROADCAST
    }

    /** One run: {@code deliveriesPerSecond} 0 is unpaced. */
    public record Plan(int connections, int users, int rooms, int deliveries, int deliveriesPerSecond) {
        /** {@value #USERS_PER_REQUEST} distinct users, or every user when there are fewer. */
        int usersPerRequest() {
            return Math.min(USERS_PER_REQUEST, users);
        }

        int perRequest(Shape shape) {
            return switch (shape) {
                case USERS -> usersPerRequest() * (connections / users);
                case TOPICS -> connections / rooms;
                case BROADCAST -> connections;
            };
        }
    }

    /**
     * One shape's figures.
     *
     * @param queueMessagesPerSecond the queue alone: its ceiling (unpaced) or the rate it was paced at
     * @param queueP99Millis the queue alone: SendMessage → ReceiveMessage p99 at the same message rate (paced only)
     */
    public record Result(
            Shape shape,
            Plan plan,
            double deliveriesPerSecond,
            double p50Millis,
            double p99Millis,
            double gatewaysCpuMicros,
            double pusherCpuMicros,
            double queueMessagesPerSecond,
            double queueP99Millis,
            long lost,
            long duplicates) {
        double messagesPerSecond() {
            return deliveriesPerSecond / plan.perRequest(shape);
        }
    }

    public static final Plan UNPACED = new Plan(200, 100, 2, 200_000, 0);
    public static final Plan PACED = new Plan(200, 100, 2, 60_000, Integer.getInteger("bench.fanout.rate", 10_000));
    public static final Plan SMOKE = new Plan(20, 10, 2, 200, 0);

    private static final String PUSHER_MAIN = "dev.switchboard.pusher.Main";
    private static final int USERS_PER_REQUEST = 25;
    private static final int POLLERS = 4;
    private static final int CEILING_MESSAGES = 20_000;
    private static final int WARM_UP_DELIVERIES = 50_000;
    private static final double JIT_DONE_PERCENT = 5;
    private static final int MAX_WARM_UP_ROUNDS = 6;
    private static final Duration STALL = Duration.ofSeconds(20);

    private FanOutBenchmark() {}

    /**
     * Each plan with each shape, on one stack (emulators, 2 gateway nodes, 1 pusher, the clients) warmed up first:
     * the plans share the first one's connections, users and rooms.
     */
    public static List<Result> run(List<Plan> plans) throws InterruptedException {
        var population = plans.getFirst();
        for (var plan : plans) {
            if (plan.connections() != population.connections()
                    || plan.users() != population.users()
                    || plan.rooms() != population.rooms()) {
                throw new IllegalArgumentException("the plans run on one stack: same connections, users and rooms");
            }
        }
        var results = new ArrayList<Result>();
        try (var emulators = Emulators.start(EmulatorSettings.ephemeral());
                var cluster = new GatewayCluster(emulators, 2, population.users(), Map.of());
                var sqs = Emulators.client(SqsAsyncClient.builder(), emulators.sqsEndpoint(), emulators.settings())) {
            var ceilingMessages = population == SMOKE ? 100 : CEILING_MESSAGES;
            // Measured again once everything is warm; this first one warms its own paths.
            var ceiling = QueueAlone.ceiling(sqs, queue(emulators, "bench-alone"), ceilingMessages, POLLERS);
            var queueUrl = queue(emulators, "bench-notifications");
            var pusher = startPusher(emulators, cluster, queueUrl);
            try (var clients = Clients.connect(cluster, population)) {
                Supplier<Duration> pusherCpu = pusher::cpu;
                // Warm-up, not measured: the JIT of every JVM (the services, and this one: the clients and
                // ElasticMQ), connections, the nodes' request memory. Unpaced rounds first, then rounds of the plans
                // themselves (messages one at a time take other paths than full batches) until the compilers are
                // done — under {@value #JIT_DONE_PERCENT} % of a core during a round — so the measured runs are
                // not charged for compiling, and a paced run alone is as warm as one after the unpaced plan.
                for (var round = 0; round < (population == SMOKE ? 1 : 2); round++) {
                    for (var shape : Shape.values()) {
                        clients.run(
                                shape,
                                sqs,
                                queueUrl,
                                cluster::cpu,
                                pusherCpu,
                                population == SMOKE ? population.deliveries() : WARM_UP_DELIVERIES,
                                0);
                    }
                }
                var pids = new ArrayList<Long>();
                pids.add(ProcessHandle.current().pid());
                pids.add(pusher.process().pid());
                cluster.nodes().forEach(node -> pids.add(node.process().pid()));
                for (var round = 1; population != SMOKE; round++) {
                    var compiledBefore = Measure.compilerCpu(pids);
                    var start = System.nanoTime();
                    for (var plan : plans) {
                        for (var shape : Shape.values()) {
                            measure(plan, shape, emulators, clients, sqs, queueUrl, cluster, pusherCpu, ceiling);
                        }
                    }
                    var compiled = Measure.compilerCpu(pids);
                    if (compiled.isEmpty() || compiledBefore.isEmpty()) {
                        break;
                    }
                    var percent =
                            100.0 * compiled.get().minus(compiledBefore.get()).toNanos() / (System.nanoTime() - start);
                    System.err.printf(
                            Locale.ROOT,
                            "fan-out: warm-up round %d: the JIT compilers used %.1f %% of a core%n",
                            round,
                            percent);
                    if (percent < JIT_DONE_PERCENT || round == MAX_WARM_UP_ROUNDS) {
                        break;
                    }
                }
                ceiling = QueueAlone.ceiling(sqs, queue(emulators, "bench-alone"), ceilingMessages, POLLERS);
                for (var plan : plans) {
                    for (var shape : Shape.values()) {
                        results.add(
                                measure(plan, shape, emulators, clients, sqs, queueUrl, cluster, pusherCpu, ceiling));
                    }
                }
            } finally {
                GatewayCluster.stop(List.of(pusher));
            }
        }
        return results;
    }

    /** One shape of one plan: the queue alone at that message rate (paced plans), then our run. */
    private static Result measure(
            Plan plan,
            Shape shape,
            Emulators emulators,
            Clients clients,
            SqsAsyncClient sqs,
            String queueUrl,
            GatewayCluster cluster,
            Supplier<Duration> pusherCpu,
            double ceiling)
            throws InterruptedException {
        var paced = plan.deliveriesPerSecond() == 0
                ? new long[0]
                : QueueAlone.latencies(
                        sqs,
                        queue(emulators, "bench-alone"),
                        plan.deliveries() / plan.perRequest(shape),
                        (double) plan.deliveriesPerSecond() / plan.perRequest(shape),
                        POLLERS);
        var run = clients.run(
                shape, sqs, queueUrl, cluster::cpu, pusherCpu, plan.deliveries(), plan.deliveriesPerSecond());
        return new Result(
                shape,
                plan,
                run.deliveriesPerSecond(),
                run.p50Millis(),
                run.p99Millis(),
                run.gatewaysCpuMicros(),
                run.pusherCpuMicros(),
                paced.length == 0 ? ceiling : (double) plan.deliveriesPerSecond() / plan.perRequest(shape),
                paced.length == 0 ? Double.NaN : Measure.percentileMillis(paced, 0.99),
                run.lost(),
                run.duplicates());
    }

    /** The pusher as a process of its own, on the cluster's table, consuming {@code queueUrl}. */
    public static ServiceProcess startPusher(Emulators emulators, GatewayCluster cluster, String queueUrl) {
        return ServiceProcess.start(
                PUSHER_MAIN,
                GatewayCluster.jvmOptions("pusher"),
                Map.of(
                        "NOTIFICATIONS_QUEUE_URL",
                        queueUrl,
                        "CONNECTIONS_TABLE",
                        cluster.table(),
                        "PUSHER_HOST",
                        "127.0.0.1",
                        "PUSHER_PORT",
                        "0",
                        "PUSHER_POLLERS",
                        Integer.toString(POLLERS),
                        "NOTIFICATIONS_WAIT",
                        "PT1S"),
                emulators,
                GatewayCluster.logDirectory().resolve("pusher.log"));
    }

    /** A new queue of the emulators' SQS, named from {@code prefix}. */
    public static String queue(Emulators emulators, String prefix) {
        return emulators
                .sqsClient()
                .createQueue(b -> b.queueName(prefix + "-" + System.nanoTime()))
                .queueUrl();
    }

    public static String table(List<Result> results) {
        var lines = new ArrayList<String>();
        lines.add(String.format(
                Locale.ROOT,
                "%-10s %-27s %13s %11s %11s %8s %8s %9s %9s %9s %6s %6s",
                "fan-out",
                "connections / deliveries",
                "deliveries/s",
                "messages/s",
                "queue msg/s",
                "p50 ms",
                "p99 ms",
                "queue p99",
                "gw µs/d",
                "pusher µs",
                "lost",
                "dups"));
        for (var r : results) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-10s %-27s %13.0f %11.0f %11.0f %8.2f %8.2f %9.2f %9.2f %9.2f %6d %6d",
                    r.shape().name().toLowerCase(Locale.ROOT),
                    r.plan().connections() + " / " + r.plan().deliveries()
                            + (r.plan().deliveriesPerSecond() == 0
                                    ? " unpaced"
                                    : " @" + r.plan().deliveriesPerSecond() + "/s"),
                    r.deliveriesPerSecond(),
                    r.messagesPerSecond(),
                    r.queueMessagesPerSecond(),
                    r.p50Millis(),
                    r.p99Millis(),
                    r.queueP99Millis(),
                    r.gatewaysCpuMicros(),
                    r.pusherCpuMicros(),
                    r.lost(),
                    r.duplicates()));
        }
        lines.add("queue msg/s: unpaced, ElasticMQ's ceiling alone (" + POLLERS
                + " long polls, receive + delete); paced, the message rate. queue p99: ElasticMQ alone at that rate."
                + " CPU per delivery: the gateways' (gw), the pusher's.");
        return String.join(System.lineSeparator(), lines);
    }

    /** The connected clients, counting what they receive. */
    private static final class Clients implements AutoCloseable {
        private final Plan plan;
        private final List<WebSocket> sockets = new ArrayList<>();
        private final List<HttpClient> http = new ArrayList<>();
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private final AtomicLong lastReceipt = new AtomicLong();
        private volatile Receiver[] receivers;

        private Clients(Plan plan) {
            this.plan = plan;
        }

        static Clients connect(GatewayCluster cluster, Plan plan) throws InterruptedException {
            var clients = new Clients(plan);
            clients.http.addAll(Measure.webSocketClients(Duration.ofSeconds(30)));
            var receivers = new Receiver[plan.connections()];
            var pongs = new CountDownLatch(plan.connections());
            var futures = new ArrayList<CompletableFuture<WebSocket>>();
            for (var i = 0; i < plan.connections(); i++) {
                receivers[i] = clients.new Receiver(pongs);
                futures.add(clients.http
                        .get(i % clients.http.size())
                        .newWebSocketBuilder()
                        .buildAsync(cluster.uri(i), receivers[i]));
            }
            clients.receivers = receivers;
            for (var i = 0; i < plan.connections(); i++) {
                var socket = futures.get(i).join();
                clients.sockets.add(socket);
                socket.sendText("{\"type\":\"subscribe\",\"topics\":[\"" + room(i % plan.rooms()) + "\"]}", true)
                        .join();
                socket.sendText("{\"type\":\"ping\"}", true).join();
            }
            if (!pongs.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("clients not subscribed after 60 s");
            }
            return clients;
        }

        private static String room(int room) {
            return "fanout-room-" + room;
        }

        /** One shape's run, as measured here. */
        record Run(
                double deliveriesPerSecond,
                double p50Millis,
                double p99Millis,
                double gatewaysCpuMicros,
                double pusherCpuMicros,
                long lost,
                long duplicates) {}

        /** Sends {@code deliveries} worth of requests of one shape, paced to {@code perSecond} (0: unpaced). */
        Run run(
                Shape shape,
                SqsAsyncClient sqs,
                String queueUrl,
                Supplier<Duration> gatewaysCpu,
                Supplier<Duration> pusherCpu,
                int deliveries,
                int perSecond)
                throws InterruptedException {
            var perRequest = plan.perRequest(shape);
            var requests = Math.max(1, deliveries / perRequest);
            var expected = (long) requests * perRequest;
            for (var receiver : receivers) {
                receiver.reset(requests);
            }
            delivered.set(0);
            duplicates.set(0);
            var random = new Random(7);
            var bodies = new ArrayList<String>(requests);
            for (var r = 0; r < requests; r++) {
                var targets =
                        switch (shape) {
                            case USERS ->
                                "\"users\":["
                                        + String.join(
                                                ",",
                                                random.ints(0, plan.users())
                                                        .distinct()
                                                        .limit(plan.usersPerRequest())
                                                        .mapToObj(i -> "\"" + GatewayCluster.user(i) + "\"")
                                                        .toList())
                                        + "],";
                            case TOPICS -> "\"topics\":[\"" + room(r % plan.rooms()) + "\"],";
                            case BROADCAST -> "";
                        };
                bodies.add("{" + targets + "\"data\":\"" + r + ":%d\"}");
            }
            var interval = perSecond == 0 ? 0 : (long) (1e9 * perRequest / perSecond);
            var gatewaysBefore = gatewaysCpu.get();
            var pusherBefore = pusherCpu.get();
            var start = System.nanoTime();
            var pending = new ArrayList<CompletableFuture<?>>();
            for (var r = 0; r < requests; ) {
                if (interval > 0) {
                    LockSupport.parkNanos(start + interval * r - System.nanoTime()); // pacing
                }
                // Unpaced: batches of 10; paced: each request when it is due.
                var batch = new ArrayList<SendMessageBatchRequestEntry>();
                do {
                    var now = System.nanoTime();
                    batch.add(SendMessageBatchRequestEntry.builder()
                            .id(Integer.toString(r))
                            .messageBody(String.format(Locale.ROOT, bodies.get(r), now))
                            .build());
                    r++;
                } while (r < requests
                        && batch.size() < 10
                        && (interval == 0 || start + interval * r <= System.nanoTime()));
                pending.add(sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch)));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            Measure.awaitCount(expected, delivered, STALL);
            var gatewaysUsed = gatewaysCpu.get().minus(gatewaysBefore);
            var pusherUsed = pusherCpu.get().minus(pusherBefore);
            var latencies = Arrays.stream(receivers)
                    .flatMapToLong(rc -> Arrays.stream(rc.latencies, 0, rc.count))
                    .sorted()
                    .toArray();
            return new Run(
                    delivered.get() / ((lastReceipt.get() - start) / 1e9),
                    Measure.percentileMillis(latencies, 0.50),
                    Measure.percentileMillis(latencies, 0.99),
                    gatewaysUsed.toNanos() / 1e3 / Math.max(1, delivered.get()),
                    pusherUsed.toNanos() / 1e3 / Math.max(1, delivered.get()),
                    expected - delivered.get(),
                    duplicates.get());
        }

        @Override
        public void close() {
            sockets.forEach(WebSocket::abort);
            http.forEach(HttpClient::shutdownNow);
        }

        /** One client: each notification's data is {@code "<request>:<sent nanos>"}. */
        private final class Receiver extends TextListener {
            private final CountDownLatch pongs;
            private BitSet seen = new BitSet();
            private long[] latencies = new long[0];
            private int count;

            Receiver(CountDownLatch pongs) {
                this.pongs = pongs;
            }

            synchronized void reset(int requests) {
                seen = new BitSet(requests);
                latencies = new long[requests];
                count = 0;
            }

            @Override
            protected synchronized void receive(String frame) {
                var at = System.nanoTime();
                if (!frame.startsWith("\"")) {
                    if (frame.contains("pong")) {
                        pongs.countDown();
                    }
                    return;
                }
                var colon = frame.indexOf(':');
                var request = Integer.parseInt(frame, 1, colon, 10);
                var sentAt = Long.parseLong(frame, colon + 1, frame.length() - 1, 10);
                if (seen.get(request)) {
                    duplicates.incrementAndGet();
                    return;
                }
                seen.set(request);
                latencies[count++] = at - sentAt;
                lastReceipt.accumulateAndGet(at, Math::max);
                delivered.incrementAndGet();
            }
        }
    }
}
