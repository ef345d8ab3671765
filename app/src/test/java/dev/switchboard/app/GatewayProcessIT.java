package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.ServiceProcess;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway node as its own process, started as an operator does ({@code java -jar target/switchboard-app.jar},
 * configured by environment variables only), beside a node in this JVM: SIGKILL leaves its connections to the
 * survivor's sweep; SIGTERM drains it; a second SIGTERM exits at once.
 */
@ExtendWith(EmulatorsExtension.class)
class GatewayProcessIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The packaged gateway; the integration tests run after {@code package}, in the module's directory. */
    static final Path JAR = Path.of("target", "switchboard-app.jar");

    private static final Map<String, String> FAST = Map.of(
            "PRESENCE_TARGET", "topic", "NODE_HEARTBEAT", "PT0.5S", "NODE_LEASE", "PT2S", "NODE_SWEEP", "PT0.5S");

    @TempDir
    Path directory;

    private GatewayFixture survivor;
    private ServiceProcess node;
    private Process process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
        if (survivor != null) {
            survivor.close();
        }
    }

    @Test
    void aNodeKilledWithSigkillIsSweptByTheSurvivorAndItsUsersGoOffline(Emulators emulators, TestNames names)
            throws Exception {
        survivor = new GatewayFixture(emulators, names, FAST);
        var nodeId = names.unique("killed");
        var ports = startNode(emulators, Map.of("NODE_ID", nodeId));
        var user = names.unique("user");
        var client = TestClient.connect(ws(ports[0], survivor.token(user)));
        client.pingForConnectionId();
        assertThat(survivor.registry.connections().connectionsOfNode(nodeId)).hasSize(1);

        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no drain, no cleanup

        // Documented bound: NODE_LEASE (2 s here) + NODE_SWEEP (0.5 s) + the sweep's own time.
        Await.until(
                "the killed node's connection swept",
                Duration.ofSeconds(15),
                () -> survivor.registry.connections().connectionsOfNode(nodeId),
                List::isEmpty);
        assertThat(survivor.registry.nodes().live()).extracting(n -> n.id()).doesNotContain(nodeId);
        assertThat(survivor.presenceOf(user, 2)).containsExactly("ONLINE", "OFFLINE");
    }

    @Test
    void sigtermDrainsTheNodeAndExitsCleanly(Emulators emulators, TestNames names) throws Exception {
        survivor = new GatewayFixture(emulators, names, FAST);
        var nodeId = names.unique("drained");
        var ports = startNode(emulators, Map.of("NODE_ID", nodeId));
        var user = names.unique("user");
        var client = TestClient.connect(ws(ports[0], survivor.token(user)));
        client.pingForConnectionId();

        process.destroy(); // SIGTERM

        assertThat(client.closed().get(30, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status; output: %s", output()).isZero();
        assertThat(survivor.registry.connections().connectionsOfNode(nodeId)).isEmpty();
        assertThat(survivor.registry.nodes().live()).extracting(n -> n.id()).doesNotContain(nodeId);
        assertThat(survivor.presenceOf(user, 2)).containsExactly("ONLINE", "OFFLINE");
    }

    @Test
    void onEcsAStoppingTaskDrainsBeforeSigtermAsTheLoadBalancerDeregistersIt(Emulators emulators, TestNames names)
            throws Exception {
        survivor = new GatewayFixture(emulators, names, FAST);
        // The ECS agent's task metadata endpoint, as a stand-in over real HTTP: RUNNING until ECS decides to stop.
        var desired = new AtomicReference<>("RUNNING");
        var metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        metadata.createContext("/v4/task-1/task", exchange -> {
            var body = ("{\"Cluster\":\"c\",\"KnownStatus\":\"RUNNING\",\"DesiredStatus\":\"" + desired.get() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        metadata.start();
        try {
            var nodeId = names.unique("ecs-task");
            var ports = startNode(
                    emulators,
                    Map.of(
                            "NODE_ID",
                            nodeId,
                            "ECS_CONTAINER_METADATA_URI_V4",
                            "http://127.0.0.1:" + metadata.getAddress().getPort() + "/v4/task-1"));
            var user = names.unique("user");
            var client = TestClient.connect(ws(ports[0], survivor.token(user)));
            client.pingForConnectionId();
            assertThat(client.closed()).isNotDone();

            desired.set("STOPPED"); // no signal: SIGTERM would come only after the deregistration delay

            assertThat(client.closed().get(30, TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue())
                    .as("exit status; output: %s", output())
                    .isZero();
            assertThat(output()).anyMatch(line -> line.contains("ECS is stopping this task"));
            assertThat(survivor.registry.connections().connectionsOfNode(nodeId))
                    .isEmpty();
            assertThat(survivor.presenceOf(user, 2)).containsExactly("ONLINE", "OFFLINE");
        } finally {
            metadata.stop(0);
        }
    }

    @Test
    void aSecondSigtermExitsAtOnceWhileTheFirstStillWaits(Emulators emulators, TestNames names) throws Exception {
        survivor = new GatewayFixture(emulators, names, FAST);
        // A long delay: without the second signal the node would keep its clients for ten minutes.
        var ports = startNode(emulators, Map.of("SHUTDOWN_DELAY", "PT10M"));
        var client = TestClient.connect(ws(ports[0], survivor.token(names.unique("user"))));
        client.pingForConnectionId();

        process.destroy();
        Await.until("readiness false", DEADLINE, () -> readiness(ports[1]), status -> status == 503);
        assertThat(process.isAlive()).isTrue();
        assertThat(client.closed()).isNotDone();

        process.destroy();

        assertThat(process.waitFor(15, TimeUnit.SECONDS))
                .as("exited; output: %s", output())
                .isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output()).anyMatch(line -> line.contains("exiting without finishing the drain"));
    }

    /** Starts the packaged gateway as a process on free ports in the survivor's cluster; returns its two ports. */
    private int[] startNode(Emulators emulators, Map<String, String> overrides) {
        var settings = new HashMap<>(survivor.environment(FAST));
        settings.putAll(overrides);
        node = ServiceProcess.startJar(JAR, settings, emulators, directory.resolve("gateway.log"));
        process = node.process();
        return new int[] {node.port("port"), node.port("managementPort")};
    }

    private static URI ws(int port, String token) {
        return URI.create("ws://127.0.0.1:" + port + "/ws?authorization=" + token);
    }

    private static int readiness(int managementPort) {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private List<String> output() {
        return node.output();
    }
}
