package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway whose messages queue is gone and which has no messages topic: the client is told, never silently
 * dropped. And a peer that stops answering pings is dropped and deregistered.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputsAndLivenessIT {
    private GatewayFixture gateway;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        gateway = new GatewayFixture(
                emulators,
                names,
                Map.of(
                        "PRESENCE_TARGET", "none",
                        "MESSAGES_QUEUE_URL", emulators.sqsEndpoint() + "/000000000000/" + names.unique("deleted"),
                        "MESSAGES_TOPIC_ARN", "",
                        "LIVENESS_PING", "PT0.5S"));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aRefusedSendIsAnsweredWithOutputFailed() throws Exception {
        try (var client = gateway.connect("alice")) {
            client.send("{\"action\":\"send\",\"message\":{\"lost\":false}}");

            var error = client.next("error");
            assertThat(error.path("code").asText()).isEqualTo("output_failed");
            assertThat(client.pingForConnectionId()).isNotBlank();
        }
    }

    @Test
    void aPublishWithoutATopicIsAnsweredWithOutputNotConfigured() throws Exception {
        try (var client = gateway.connect("bob")) {
            client.send("{\"action\":\"publish\",\"message\":{\"lost\":false}}");

            assertThat(client.next("error").path("code").asText()).isEqualTo("output_not_configured");
        }
    }

    @Test
    void aPeerThatStopsAnsweringPingsIsDroppedAndDeregistered() throws Exception {
        // A raw socket that completes the WebSocket handshake and then never reads or answers again.
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), gateway.server.port())) {
            var key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
            var request = "GET /ws?authorization=" + gateway.token("silent") + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            assertThat(statusLine(socket.getInputStream())).contains("101");
            Await.until(
                    "the silent peer registered",
                    Duration.ofSeconds(10),
                    () -> gateway.registry.connections().connectionsOf("silent"),
                    c -> !c.isEmpty());

            Await.until(
                    "the silent peer dropped",
                    Duration.ofSeconds(15),
                    () -> gateway.registry.connections().connectionsOf("silent"),
                    c -> c.isEmpty());
        }
    }

    private static String statusLine(InputStream in) throws Exception {
        var line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }
}
