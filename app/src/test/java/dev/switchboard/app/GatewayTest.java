package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.authorizer.Principal;
import dev.switchboard.emulators.Await;
import dev.switchboard.registry.PresenceOwedException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's life of a connection without sockets or DynamoDB: connections on {@link InMemorySession}s, the
 * registry a {@link RecordingRecords}, topic counts counted.
 */
class GatewayTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AwsCalls aws = new AwsCalls(4);
    private final LocalConnections hub = new LocalConnections();
    private final GatewayMetrics metrics = new GatewayMetrics(hub::size, hub::queuedBytes);
    private final RecordingRecords records = new RecordingRecords(hub);
    private final CountedTopics counts = new CountedTopics();
    private final Gateway gateway = new Gateway(
            GatewaySettings.fromEnvironment(
                    Map.of("AUTH_JWKS_URI", "https://issuer.example.com/jwks", "NODE_ID", "n1")),
            URI.create("http://10.0.0.1:8081"),
            records,
            hub,
            metrics,
            counts,
            new NoFrames(),
            aws,
            Clock.systemUTC(),
            timer);

    @AfterEach
    void stop() {
        aws.shutdown(Duration.ofSeconds(1));
        timer.shutdownNow();
    }

    private ClientConnection open(String user, InMemorySession session) {
        return gateway.open(session, new Principal(user, Optional.empty(), Map.of()), "10.1.1.1", "test")
                .orElseThrow();
    }

    @Test
    void anOpenedConnectionIsInTheHubBeforeTheRegistryRecordsIt() {
        var connection = open("alice", new InMemorySession());

        assertThat(records.inHubWhenRegistered).containsExactly(true);
        assertThat(records.registered()).containsExactly(connection.id());
        assertThat(connection.record().endpoint()).isEqualTo("http://10.0.0.1:8081");
        assertThat(connection.record().nodeId()).isEqualTo("n1");
    }

    @Test
    void aConnectionTheRegistryCannotRecordIsClosedWith1011AndLeavesTheHub() {
        records.failRegister = new IllegalStateException("DynamoDB is down");
        var session = new InMemorySession();

        var opened = gateway.open(session, new Principal("alice", Optional.empty(), Map.of()), "10.1.1.1", "test");

        assertThat(opened).isEmpty();
        assertThat(hub.size()).isZero();
        assertThat(metrics.scrape()).contains("switchboard_closes_total{cause=\"registry_failure\"} 1.0");
    }

    @Test
    void anOnlineThatCouldNotBePublishedIsAnnouncedAfterTheOpen() {
        records.failRegister = new PresenceOwedException("alice", new IllegalStateException("SNS is down"));

        var connection = gateway.open(
                new InMemorySession(), new Principal("alice", Optional.empty(), Map.of()), "10.1.1.1", "test");

        assertThat(connection).isPresent();
        Await.until("the owed ONLINE announced", DEADLINE, () -> records.announced, a -> a.contains("alice"));
    }

    @Test
    void anEndedConnectionLeavesTheHubAtOnceAndTheRegistryOffTheCallersThread() throws Exception {
        var connection = open("alice", new InMemorySession());
        hub.subscribe(connection, List.of("room"));
        var registryHeld = new CountDownLatch(1);
        records.deregistering = registryHeld;

        connection.peerClosed(1000); // returns although the registry is held

        assertThat(hub.size()).isZero();
        assertThat(records.deregistered()).isEmpty();
        registryHeld.countDown();
        Await.until("deregistered", DEADLINE, records::deregistered, d -> d.contains(connection.id()));
        Await.until("the room's count told", DEADLINE, () -> counts.changed, c -> c.contains("room"));
        assertThat(metrics.scrape()).contains("switchboard_closes_total{cause=\"peer\"} 1.0");
    }

    @Test
    void aDrainClosesEveryConnectionWith1001AndForgetsThemTogether() {
        var alice = new InMemorySession();
        var bob = new InMemorySession();
        var one = open("alice", alice);
        var two = open("bob", bob);

        var forgotten = gateway.drain(DEADLINE);

        assertThat(forgotten).isTrue();
        Await.until("alice's close frame", DEADLINE, () -> alice.closes, c -> c.contains(1001));
        Await.until("bob's close frame", DEADLINE, () -> bob.closes, c -> c.contains(1001));
        assertThat(records.togetherCalls).hasValue(1);
        assertThat(records.deregisteredTogether()).containsExactlyInAnyOrder(one.id(), two.id());
        assertThat(records.deregistered()).as("none one by one").isEmpty();
    }

    @Test
    void whenForgettingTogetherFailsADrainForgetsEachOneByOne() {
        var one = open("alice", new InMemorySession());
        var two = open("bob", new InMemorySession());
        records.failTogether = true;

        var forgotten = gateway.drain(DEADLINE);

        assertThat(forgotten).isTrue();
        assertThat(records.deregistered()).containsExactlyInAnyOrder(one.id(), two.id());
    }

    @Test
    void aConnectionOpenedWhileDrainingIsClosedAndForgotten() {
        open("alice", new InMemorySession());
        gateway.drain(DEADLINE);
        var late = new InMemorySession();

        var connection = open("bob", late);

        assertThat(connection.isOpen()).isFalse();
        Await.until("bob's close frame", DEADLINE, () -> late.closes, c -> c.contains(1001));
        Await.until("bob forgotten", DEADLINE, records::deregistered, d -> d.contains(connection.id()));
    }

    @Test
    void registeringAgainRecordsEveryOpenConnectionAndEveryTopicCountAnew() {
        var one = open("alice", new InMemorySession());
        var two = open("bob", new InMemorySession());
        hub.subscribe(one, List.of("room"));

        gateway.registerAgain();

        Await.until(
                "both registered again",
                DEADLINE,
                () -> records.registeredAgain,
                r -> r.containsAll(List.of(one.id(), two.id())));
        Await.until("the room's count recorded", DEADLINE, () -> counts.recorded, r -> r.contains("room"));
    }

    @Test
    void aSlowConsumersCloseIsCountedAsOne() {
        var connection = open("alice", new InMemorySession());

        connection.abort(dev.switchboard.app.protocol.CloseCause.STALLED);

        assertThat(metrics.scrape())
                .contains("switchboard_slow_consumer_closes_total{reason=\"stalled\"} 1.0")
                .contains("switchboard_closes_total{cause=\"stalled\"} 1.0");
    }
}
