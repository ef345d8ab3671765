package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that stops reading costs only itself: two nodes, a subscriber whose socket takes nothing more (its TCP
 * window full) while 40 publishers, half on each node, flood its room. Everyone else gets everything, in order and
 * on time; the node's lease keeps being renewed; the slow one is closed (1013) and deregistered.
 */
@ExtendWith(EmulatorsExtension.class)
class BackpressureIT {
    private static final int PUBLISHERS = 40;
    private static final int WARM_UP = 5;
    private static final int MESSAGES = 25;
    private static final String PAD = "x".repeat(2000);
    private static final long OUTBOUND_MAX_BYTES = 262_144;
    private static final Map<String, String> SETTINGS = Map.of(
            "PRESENCE_TARGET", "none",
            "LIMITS_RATE", "100000",
            "LIMITS_BURST", "100000",
            "LIMITS_FRAME_BYTES", "16384",
            "OUTBOUND_MAX_BYTES", String.valueOf(OUTBOUND_MAX_BYTES),
            "OUTBOUND_STALL", "PT3S",
            "NODE_HEARTBEAT", "PT0.3S",
            "NODE_LEASE", "PT2S",
            "NODE_SWEEP", "PT0.5S");

    @Test
    void aSubscriberThatStopsReadingIsClosedAndNobodyElseWaitsForIt(Emulators emulators, TestNames names)
            throws Exception {
        try (var a = new GatewayFixture(emulators, names, SETTINGS);
                var b = new GatewayFixture(emulators, names, SETTINGS, a)) {
            var room = names.unique("room");
            var stalledUser = names.unique("stalled");
            try (var stalled = RawClient.connect(a.server.port(), "/ws?authorization=" + a.token(stalledUser), 4096);
                    var onA = subscriber(a, room, names.unique("reader"));
                    var onB = subscriber(b, room, names.unique("reader"))) {
                stalled.sendText("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
                Await.until(
                        "the stalled subscriber registered",
                        Duration.ofSeconds(10),
                        () -> a.registry.topics().subscribersOf(room).size(),
                        n -> n == 3);
                var lease = new LeaseWatch(a);
                var readers = List.of(new Reader(onA), new Reader(onB));
                flood(a, b, room, WARM_UP, ""); // warms the JIT, the relay link and the clients: not measured

                flood(a, b, room, MESSAGES, PAD);

                for (var reader : readers) {
                    var latencies = reader.result();
                    assertThat(latencies).as("everything, in order").hasSize(PUBLISHERS * MESSAGES);
                    assertThat(percentileMillis(latencies, 0.99)).as("p99 ms").isLessThan(100);
                }
                assertThat(lease.lapses()).as("the node's lease never lapsed").isZero();
                // The kernel buffers a few MB for a socket that does not read; more traffic finds the bound. The
                // readers are done and leave the room first, so that only the stalled one gets it.
                for (var reader : List.of(onA, onB)) {
                    reader.send("{\"type\":\"unsubscribe\",\"topics\":[\"" + room + "\"]}");
                    reader.pingForConnectionId();
                }
                var mostQueued = 0L;
                try (var pressure = a.connect(names.unique("pressure"))) {
                    var big = "y".repeat(15_000);
                    var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (!a.registry.connections().connectionsOf(stalledUser).isEmpty()) {
                        assertThat(System.nanoTime())
                                .as("the stalled subscriber closed and deregistered in time")
                                .isLessThan(deadline);
                        for (var i = 0; i < 10; i++) {
                            pressure.send("{\"type\":\"publish\",\"topic\":\"" + room + "\",\"pad\":\"" + big + "\"}");
                            mostQueued = Math.max(mostQueued, queuedBytes(a));
                        }
                    }
                }
                // What the node holds for its clients is bounded by the outbound limit, however long the flood.
                assertThat(mostQueued)
                        .as("most bytes queued on the node")
                        .isPositive()
                        .isLessThanOrEqualTo(OUTBOUND_MAX_BYTES);
                // Its queue passes the bound, or its one write blocks past OUTBOUND_STALL: whichever comes first.
                assertThat(metrics(a))
                        .containsPattern(
                                "switchboard_slow_consumer_closes_total\\{reason=\"(queue_full|stalled)\",?} 1");
                assertThat(stalled.endedWithin(Duration.ofSeconds(5)))
                        .as("its socket cut")
                        .isTrue();
                assertThat(a.registry.nodes().live()).hasSize(2);
            }
        }
    }

    @Test
    void aWriteThatMakesNoProgressForOutboundStallIsClosed(Emulators emulators, TestNames names) throws Exception {
        var settings = new HashMap<>(SETTINGS);
        settings.put("OUTBOUND_MAX_BYTES", "67108864");
        settings.put("OUTBOUND_STALL", "PT1S");
        try (var gateway = new GatewayFixture(emulators, names, settings)) {
            var room = names.unique("room");
            var user = names.unique("stalled");
            try (var stalled =
                            RawClient.connect(gateway.server.port(), "/ws?authorization=" + gateway.token(user), 4096);
                    var publisher = gateway.connect(names.unique("publisher"))) {
                stalled.sendText("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
                Await.until(
                        "subscribed",
                        Duration.ofSeconds(10),
                        () -> gateway.registry.topics().subscribersOf(room).size(),
                        n -> n == 1);

                // Enough to fill the socket's buffers at both ends; the queue's bound is far away.
                for (var i = 0;
                        i < 4000
                                && gateway.registry
                                                .connections()
                                                .connectionsOf(user)
                                                .size()
                                        == 1;
                        i++) {
                    publisher.send("{\"type\":\"publish\",\"topic\":\"" + room + "\",\"pad\":\"" + PAD + "\"}");
                }

                Await.until(
                        "the stalled writer closed",
                        Duration.ofSeconds(20),
                        () -> gateway.registry.connections().connectionsOf(user),
                        List::isEmpty);
                assertThat(metrics(gateway))
                        .containsPattern("switchboard_slow_consumer_closes_total\\{reason=\"stalled\",?} 1");
            }
        }
    }

    @Test
    void aPostToAConnectionWhoseQueueIsFullIsThrottledAndTheConnectionClosed(Emulators emulators, TestNames names)
            throws Exception {
        var settings = new HashMap<>(SETTINGS);
        settings.put("OUTBOUND_STALL", "PT60S"); // the queue's bound, not the stall, is what this test reaches
        try (var gateway = new GatewayFixture(emulators, names, settings);
                var http = HttpClient.newHttpClient()) {
            var user = names.unique("stalled");
            try (var stalled =
                    RawClient.connect(gateway.server.port(), "/ws?authorization=" + gateway.token(user), 4096)) {
                var id = Await.until(
                                "registered",
                                Duration.ofSeconds(10),
                                () -> gateway.registry.connections().connectionsOf(user),
                                targets -> targets.size() == 1)
                        .getFirst()
                        .connectionId();
                var post = HttpRequest.newBuilder(URI.create(gateway.management() + "/@connections/" + id))
                        .POST(HttpRequest.BodyPublishers.ofString("z".repeat(8_000)))
                        .build();
                HttpResponse<String> refused = null;
                // The kernel's buffers at both ends fill first, then the outbound queue (OUTBOUND_MAX_BYTES).
                for (var i = 0; i < 20_000 && refused == null; i++) {
                    var response = http.send(post, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        refused = response;
                    }
                }

                assertThat(refused).as("a POST refused").isNotNull();
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("LimitExceededException");
                assertThat(refused.body()).contains("outbound queue is full");
                Await.until(
                        "the slow consumer deregistered",
                        Duration.ofSeconds(20),
                        () -> gateway.registry.connections().connectionsOf(user),
                        List::isEmpty);
                assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode())
                        .as("then gone")
                        .isEqualTo(410);
                assertThat(metrics(gateway))
                        .containsPattern("switchboard_slow_consumer_closes_total\\{reason=\"queue_full\",?} 1");
                assertThat(stalled.endedWithin(Duration.ofSeconds(5)))
                        .as("its socket cut")
                        .isTrue();
            }
        }
    }

    private static TestClient subscriber(GatewayFixture node, String room, String user) throws Exception {
        var client = node.connect(user);
        client.send("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
        client.pingForConnectionId(); // answered after the subscription is recorded
        return client;
    }

    /** Every publisher, half on each node, sends {@code messages}, paced at 10 a second each (400/s in all). */
    private static void flood(GatewayFixture a, GatewayFixture b, String room, int messages, String pad)
            throws Exception {
        var publishers = new ArrayList<TestClient>();
        for (var p = 0; p < PUBLISHERS; p++) {
            publishers.add((p % 2 == 0 ? a : b).connect("publisher-" + room + "-" + p));
        }
        var pacer = Executors.newScheduledThreadPool(4);
        var done = new CountDownLatch(PUBLISHERS);
        try {
            for (var p = 0; p < PUBLISHERS; p++) {
                var index = p;
                var publisher = publishers.get(p);
                var sent = new AtomicInteger();
                var unused = pacer.scheduleAtFixedRate(
                        () -> {
                            var n = sent.get();
                            if (n < messages) {
                                publisher.send("{\"type\":\"publish\",\"topic\":\"" + room + "\",\"data\":{\"p\":"
                                        + index + ",\"n\":" + n + ",\"t\":" + System.nanoTime() + ",\"pad\":\""
                                        + pad + "\"}}");
                                if (sent.incrementAndGet() == messages) {
                                    done.countDown();
                                }
                            }
                        },
                        index,
                        100,
                        TimeUnit.MILLISECONDS);
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            pacer.shutdownNow();
            publishers.forEach(TestClient::close);
        }
    }

    /**
     * Reads every publish as it arrives, on a thread of its own: the warm-up's, then the flood's, each publisher's
     * in order; the flood's latencies are the result.
     */
    private static final class Reader {
        private final CompletableFuture<List<Long>> latencies = new CompletableFuture<>();

        Reader(TestClient client) {
            Thread.ofVirtual().start(() -> {
                var next = new int[PUBLISHERS];
                var seen = new ArrayList<Long>();
                try {
                    for (var i = 0; i < PUBLISHERS * WARM_UP; i++) {
                        client.next("publish");
                    }
                    while (seen.size() < PUBLISHERS * MESSAGES) {
                        var data = client.next("publish").path("data");
                        seen.add(System.nanoTime() - data.path("t").asLong());
                        var p = data.path("p").asInt();
                        if (data.path("n").asInt() != next[p]++) {
                            throw new AssertionError("publisher " + p + " out of order at " + next[p]);
                        }
                    }
                    latencies.complete(seen);
                } catch (Exception | AssertionError e) {
                    latencies.completeExceptionally(e);
                }
            });
        }

        List<Long> result() throws Exception {
            return latencies.get(60, TimeUnit.SECONDS);
        }
    }

    /** Samples a node's lease in the registry while the flood runs; counts the samples where it had lapsed. */
    private static final class LeaseWatch {
        private final AtomicInteger lapses = new AtomicInteger();
        private final AtomicBoolean watching = new AtomicBoolean(true);

        LeaseWatch(GatewayFixture node) {
            var nodeId = node.server.gateway().settings().nodeId();
            Thread.ofVirtual().start(() -> {
                while (watching.get()) {
                    if (node.registry.nodes().live().stream().noneMatch(n -> n.id().equals(nodeId))) {
                        lapses.incrementAndGet();
                    }
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // a sampling period, not a wait
                }
            });
        }

        int lapses() {
            watching.set(false);
            return lapses.get();
        }
    }

    private static double percentileMillis(List<Long> nanos, double p) {
        var sorted = nanos.stream().sorted().toList();
        return sorted.get((int) Math.ceil(sorted.size() * p) - 1) / 1e6;
    }

    /** The node's {@code switchboard_outbound_queued_bytes}. */
    private static long queuedBytes(GatewayFixture gateway) throws Exception {
        var matcher = Pattern.compile("(?m)^switchboard_outbound_queued_bytes(?:\\{})? (\\S+)$")
                .matcher(metrics(gateway));
        assertThat(matcher.find()).as("the queued bytes gauge").isTrue();
        return (long) Double.parseDouble(matcher.group(1));
    }

    static String metrics(GatewayFixture gateway) throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create(gateway.management() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
