package dev.switchboard.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB emulator as a child process: it needs Node.js, and it never outlives the JVM that started it. */
class DynamoDbEmulatorProcessIT {
    @Test
    void itEndsWhenTheJvmThatStartedItIsKilled(@TempDir Path dir) {
        long pid;
        try (var holder = ServiceProcess.launch(
                DynaliteHolder.class.getName(), List.of(), List.of(), Map.of(), dir.resolve("holder.log"))) {
            pid = Long.parseLong(holder.ready("pid"));
            var endpoint = URI.create("http://" + EmulatorSettings.LOOPBACK + ":" + holder.port("port"));
            try (var dynamoDb = Emulators.client(DynamoDbClient.builder(), endpoint, EmulatorSettings.ephemeral())) {
                assertThat(dynamoDb.listTables().tableNames()).isEmpty();
            }
            assertThat(ProcessHandle.of(pid))
                    .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            holder.kill(); // SIGKILL: no shutdown hook runs
        }

        Await.until(
                "dynalite (pid " + pid + ") to exit after its JVM was killed",
                Duration.ofSeconds(10),
                () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                alive -> !alive);
    }

    @Test
    void itEndsWhenClosed() {
        var dynamoDb = DynamoDbEmulator.start(EmulatorSettings.LOOPBACK, 0);
        var pid = dynamoDb.pid();

        dynamoDb.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void withoutNodeTheStartSaysWhatIsMissing(@TempDir Path emptyDir) {
        var environment = Map.of("PATH", emptyDir.toString());

        assertThatThrownBy(() -> DynamoDbEmulator.start(EmulatorSettings.LOOPBACK, 0, environment))
                .isInstanceOf(EmulatorException.class)
                .hasMessageContaining("needs Node.js 20 or newer")
                .hasMessageContaining("no node on PATH (" + emptyDir + ")")
                .hasMessageContaining(NodeRuntime.OVERRIDE);
    }

    @Test
    void aPortInUseIsNamedInTheError() {
        try (var first = DynamoDbEmulator.start(EmulatorSettings.LOOPBACK, 0)) {
            assertThatThrownBy(() -> DynamoDbEmulator.start(EmulatorSettings.LOOPBACK, first.port()))
                    .isInstanceOf(EmulatorException.class)
                    .hasMessageContaining("EADDRINUSE")
                    .hasMessageContaining(Integer.toString(first.port()));
        }
    }

    @Test
    void itsFilesAreUnpackedOnceIntoTheCacheDirectory(@TempDir Path cache) throws Exception {
        var environment = Map.of("PATH", System.getenv("PATH"), "XDG_CACHE_HOME", cache.toString());

        try (var dynamoDb = DynamoDbEmulator.start(EmulatorSettings.LOOPBACK, 0, environment)) {
            assertThat(dynamoDb.port()).isPositive();
        }

        try (var unpacked = Files.list(cache.resolve("switchboard"))) {
            assertThat(unpacked.map(p -> p.getFileName().toString()))
                    .singleElement()
                    .satisfies(name -> assertThat(name).startsWith("dynalite-"));
        }
    }
}
