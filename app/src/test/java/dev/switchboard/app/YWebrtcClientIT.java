package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real y-webrtc client library (npm {@code y-webrtc}, under Node with {@code ws} as its WebSocket): two clients in
 * one room find each other and exchange their WebRTC offer and answer through the gateway. The Node packages are
 * installed by bin/test ({@code app/src/test/node}).
 */
@ExtendWith(EmulatorsExtension.class)
class YWebrtcClientIT {
    private static final Path CLIENT = Path.of("src/test/node/yclient.mjs");
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void twoYWebrtcClientsExchangeAnnounceOfferAndAnswerThroughTheGateway(Emulators emulators, TestNames names)
            throws Exception {
        assertThat(CLIENT.resolveSibling("node_modules/y-webrtc"))
                .as("the Node packages (bin/test installs them: npm ci in app/src/test/node)")
                .exists();
        try (var gateway = new GatewayFixture(emulators, names, Map.of("PRESENCE_TARGET", "none"))) {
            var room = names.unique("room");
            var first = directory.resolve("first.log");
            var second = directory.resolve("second.log");

            start(gateway.ws(gateway.token("alice")).toString(), room, first);
            Await.until("the first client in the room", DEADLINE, () -> read(first), log -> log.contains("announce"));
            start(gateway.ws(gateway.token("bob")).toString(), room, second);

            // The first learns of the second and sends an offer; the second answers: both through the gateway.
            Await.until(
                    "the answer at the first client", DEADLINE, () -> read(first), log -> log.contains("\"answer\""));
            var firstLog = read(first);
            var secondLog = read(second);
            assertThat(firstLog).contains("\"type\":\"announce\"").contains("\"clients\":2");
            assertThat(secondLog).contains("\"type\":\"signal\"").contains("\"offer\"");
        }
    }

    private void start(String url, String room, Path log) throws IOException {
        processes.add(new ProcessBuilder("node", CLIENT.toString(), url, room)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start());
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
