package dev.switchboard.bench.signaling;

import dev.switchboard.bench.Measure;
import dev.switchboard.bench.TextListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The signaling load generator: rooms × peers real WebSocket clients speaking y-webrtc's protocol. It connects them
 * and waits for each to answer a ping (connects/s), subscribes each to its room and waits for the pong that follows (subscribes/s), then every peer
 * publishes {@code messages} messages to its room, unpaced or at a total rate, and every receipt is checked off:
 * deliveries/s, publish→receive latency, messages lost and duplicated. The same harness drives every server.
 *
 * <p>Not single-threaded: connections are spread over several JDK HTTP clients (each has one selector thread) and
 * every peer publishes from its own virtual thread.
 */
public final class SignalingLoad {
    private static final Duration STALL = Duration.ofSeconds(15);
    private static final int IN_FLIGHT_CONNECTS = 64;

    /** The shape of a run: {@code rate} is publishes per second over all peers, 0 for as fast as they go. */
    public record Plan(int rooms, int peers, int messages, int rate, int payloadBytes) {
        long deliveries() {
            return (long) rooms * peers * messages * peers;
        }

        int connections() {
            return rooms * peers;
        }
    }

    /** What one run measured. */
    public record Result(
            String target,
            Plan plan,
            double connectsPerSecond,
            double subscribesPerSecond,
            double deliveriesPerSecond,
            double p50Millis,
            double p99Millis,
            long lost,
            long duplicates,
            Cpu cpu) {}

    /**
     * The server's CPU time (all its processes, user and system) per operation of each phase, in microseconds:
     * what the server itself spends, whatever limits the rate (an emulator, the load generator).
     */
    public record Cpu(double perConnect, double perSubscribe, double perDelivery) {}

    private final Plan plan;
    private final String padding;
    private final List<HttpClient> clients;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong warmups = new AtomicLong();
    private final AtomicLong lastReceipt = new AtomicLong();
    private volatile CountDownLatch pongs = new CountDownLatch(0);

    public SignalingLoad(Plan plan) {
        this.plan = plan;
        this.padding = "x".repeat(Math.max(0, plan.payloadBytes()));
        this.clients = Measure.webSocketClients(Duration.ofSeconds(10));
    }

    /**
     * Runs the plan against a server; {@code uri} gives connection {@code i}'s URL (room {@code i / peers}), so a
     * cluster target can spread each room's peers over its nodes.
     */
    public Result run(String target, IntFunction<URI> uri, Supplier<Duration> serverCpu) throws InterruptedException {
        var peers = new Peer[plan.connections()];
        try {
            var cpu0 = serverCpu.get();
            var connects = connect(peers, uri);
            var cpu1 = serverCpu.get();
            var subscribes = subscribe(peers);
            var cpu2 = serverCpu.get();
            warmUp(peers);
            var cpu3 = serverCpu.get();
            var start = System.nanoTime();
            publish(peers, start);
            Measure.awaitCount(plan.deliveries(), delivered, STALL);
            var cpu4 = serverCpu.get();
            var seconds = (lastReceipt.get() - start) / 1e9;
            var latencies = Arrays.stream(peers)
                    .flatMapToLong(p -> Arrays.stream(p.latencies, 0, p.count))
                    .sorted()
                    .toArray();
            return new Result(
                    target,
                    plan,
                    connects,
                    subscribes,
                    delivered.get() / seconds,
                    Measure.percentileMillis(latencies, 0.50),
                    Measure.percentileMillis(latencies, 0.99),
                    plan.deliveries() - delivered.get(),
                    duplicates.get(),
                    new Cpu(
                            micros(cpu1.minus(cpu0)) / plan.connections(),
                            micros(cpu2.minus(cpu1)) / plan.connections(),
                            micros(cpu4.minus(cpu3)) / plan.deliveries()));
        } finally {
            for (var peer : peers) {
                if (peer != null) {
                    peer.socket.abort();
                }
            }
            clients.forEach(HttpClient::shutdownNow);
        }
    }

    private static double micros(Duration duration) {
        return duration.toNanos() / 1e3;
    }

    /**
     * Opens every peer's WebSocket, then pings each and waits for all the pongs: a server may register a connection
     * after its handshake (ours does, in DynamoDB), so a connect counts once the connection answers.
     */
    private double connect(Peer[] peers, IntFunction<URI> uri) throws InterruptedException {
        var permits = new Semaphore(IN_FLIGHT_CONNECTS);
        var futures = new ArrayList<CompletableFuture<WebSocket>>();
        pongs = new CountDownLatch(peers.length);
        var start = System.nanoTime();
        for (var i = 0; i < peers.length; i++) {
            permits.acquire();
            var peer = new Peer(i / plan.peers(), i % plan.peers());
            peers[i] = peer;
            var future = clients.get(i % clients.size())
                    .newWebSocketBuilder()
                    .buildAsync(uri.apply(i), peer)
                    .whenComplete((socket, error) -> permits.release());
            futures.add(future);
        }
        for (var i = 0; i < peers.length; i++) {
            peers[i].socket = futures.get(i).join();
            peers[i].send("{\"type\":\"ping\"}");
        }
        if (!pongs.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(pongs.getCount() + " connections unanswered after 60 s");
        }
        return peers.length / ((System.nanoTime() - start) / 1e9);
    }

    private double subscribe(Peer[] peers) throws InterruptedException {
        pongs = new CountDownLatch(peers.length);
        var start = System.nanoTime();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var peer : peers) {
                threads.execute(() -> {
                    peer.send("{\"type\":\"subscribe\",\"topics\":[\"" + room(peer.room) + "\"]}");
                    peer.send("{\"type\":\"ping\"}");
                });
            }
        }
        if (!pongs.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(pongs.getCount() + " subscriptions unanswered after 60 s");
        }
        return peers.length / ((System.nanoTime() - start) / 1e9);
    }

    /** One publish per room, received by all its peers: every path (and every cross-node relay) is up. */
    private void warmUp(Peer[] peers) throws InterruptedException {
        for (var room = 0; room < plan.rooms(); room++) {
            peers[room * plan.peers()].send(publish(room, "w"));
        }
        Measure.awaitCount(plan.connections(), warmups, STALL);
    }

    private void publish(Peer[] peers, long start) {
        var interval = plan.rate() == 0 ? 0 : (long) (1e9 * peers.length / plan.rate());
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var peer : peers) {
                threads.execute(() -> {
                    // Spread the peers' phases evenly over one interval.
                    var next = start + interval * peer.index() / peers.length;
                    for (var q = 0; q < plan.messages(); q++) {
                        if (interval > 0) {
                            LockSupport.parkNanos(next - System.nanoTime()); // pacing, not synchronization
                            next += interval;
                        }
                        peer.send(publish(peer.room, peer.seat + ":" + q + ":" + System.nanoTime() + ":" + padding));
                    }
                });
            }
        }
    }

    private String publish(int room, String data) {
        return "{\"type\":\"publish\",\"topic\":\"" + room(room) + "\",\"data\":\"" + data + "\"}";
    }

    private static String room(int room) {
        return "bench-room-" + room;
    }

    /** One client: receives and checks off publishes; its sends are serialized (the WebSocket allows one at a time). */
    private final class Peer extends TextListener {
        final int room;
        final int seat;
        final BitSet seen;
        final long[] latencies;
        int count;
        volatile WebSocket socket;

        Peer(int room, int seat) {
            this.room = room;
            this.seat = seat;
            this.seen = new BitSet(plan.peers() * plan.messages());
            this.latencies = new long[plan.peers() * plan.messages()];
        }

        int index() {
            return room * plan.peers() + seat;
        }

        synchronized void send(String frame) {
            socket.sendText(frame, true).join();
        }

        @Override
        protected void receive(String s) {
            var at = System.nanoTime();
            var dataAt = s.indexOf("\"data\":\"");
            if (dataAt < 0) {
                if (s.contains("\"pong\"")) {
                    pongs.countDown();
                }
                return;
            }
            var from = dataAt + 8;
            if (s.charAt(from) == 'w') {
                warmups.incrementAndGet();
                return;
            }
            var first = s.indexOf(':', from);
            var second = s.indexOf(':', first + 1);
            var third = s.indexOf(':', second + 1);
            var sender = Integer.parseInt(s, from, first, 10);
            var sequence = Integer.parseInt(s, first + 1, second, 10);
            var sentAt = Long.parseLong(s, second + 1, third, 10);
            var key = sender * plan.messages() + sequence;
            if (seen.get(key)) {
                duplicates.incrementAndGet();
                return;
            }
            seen.set(key);
            latencies[count++] = at - sentAt;
            lastReceipt.accumulateAndGet(at, Math::max);
            delivered.incrementAndGet();
        }
    }
}
