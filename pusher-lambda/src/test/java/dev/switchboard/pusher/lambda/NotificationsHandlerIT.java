package dev.switchboard.pusher.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.ServiceProcess;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.pusher.PusherSettings;
import dev.switchboard.registry.Connection;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.registry.RegistryTable;
import io.helidon.config.ConfigSources;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Lambda handler on a real SQS event shape, delivering to a real gateway node (its own process). */
@ExtendWith(EmulatorsExtension.class)
class NotificationsHandlerIT {

    @Test
    void deliveredRecordsSucceedAndUndeliveredOrRefusedOnesAreReportedAsBatchItemFailures(
            Emulators emulators, TestNames names, @TempDir Path directory) throws Exception {
        var table = names.unique("connections");
        RegistryTable.create(emulators.dynamoDbClient(), RegistrySettings.of(table));
        var registry =
                new ConnectionRegistry(emulators.dynamoDbClient(), RegistrySettings.of(table), Clock.systemUTC());
        var issuer = emulators.issuer();
        try (var gateway = ServiceProcess.start(
                "dev.switchboard.app.Main",
                Map.of(
                        "SERVER_HOST", "127.0.0.1",
                        "SERVER_PORT", "0",
                        "MANAGEMENT_HOST", "127.0.0.1",
                        "MANAGEMENT_PORT", "0",
                        "MANAGEMENT_URL", "http://127.0.0.1:0",
                        "AUTH_JWKS_URI", issuer.jwksUri().toString(),
                        "CONNECTIONS_TABLE", table,
                        "PRESENCE_TARGET", "none"),
                emulators,
                directory.resolve("gateway.log"))) {
            var user = names.unique("alice");
            var token = issuer.sign(issuer.claims(user, "switchboard").build());
            try (var client = TestClient.connect(
                    URI.create("ws://127.0.0.1:" + gateway.port("port") + "/ws?authorization=" + token))) {
                client.pingForConnectionId();
                var down = "http://127.0.0.1:" + freePort();
                var downNode = names.unique("down-node");
                registry.nodes().heartbeat(downNode, down);
                var unreachable = names.unique("bob");
                registry.connections()
                        .register(new Connection(
                                names.unique("conn"), unreachable, downNode, down, Instant.now(), Map.of()));
                var settings = PusherSettings.from(PusherSettings.config(ConfigSources.create(Map.of(
                                "notifications.queue.url", "lambda-event-source",
                                "connections.table", table,
                                // per connection, as behind API Gateway: bob's node alone is down
                                "delivery.per", "connection",
                                "delivery.attempts", "2"))
                        .build()));
                var handler = new NotificationsHandler(settings, emulators.dynamoDbClient());

                var response = handler.handleRequest(
                        event(
                                record("m1", "{\"users\":[\"" + user + "\"],\"data\":{\"n\":1}}"),
                                record("m2", "{\"users\":[\"" + unreachable + "\"],\"data\":{\"n\":2}}"),
                                record("m3", "not a request")),
                        null);

                assertThat(client.next().path("n").asInt()).isEqualTo(1);
                assertThat(response.getBatchItemFailures())
                        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                        .containsExactlyInAnyOrder("m2", "m3");
            }
        }
    }

    private static SQSEvent event(SQSEvent.SQSMessage... records) {
        var event = new SQSEvent();
        event.setRecords(List.of(records));
        return event;
    }

    private static SQSEvent.SQSMessage record(String id, String body) {
        var message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        message.setEventSource("aws:sqs");
        return message;
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
