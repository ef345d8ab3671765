package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A registry that fails under a running node: the client is told the same way whatever it asked. */
@ExtendWith(EmulatorsExtension.class)
class RegistryOutageIT {
    @Test
    void aSubscribeAndAnUnsubscribeTheRegistryCannotRecordAreToldAlikeAndTheConnectionStays(
            Emulators emulators, TestNames names) throws Exception {
        try (var gateway = new GatewayFixture(
                        emulators, names, Map.of("PRESENCE_TARGET", "none", "SHUTDOWN_DEADLINE", "PT2S"));
                var client = gateway.connect(names.unique("ursula"))) {
            client.pingForConnectionId();
            var room = names.unique("room");
            emulators.dynamoDbClient().deleteTable(b -> b.tableName(gateway.table));

            client.send("{\"type\":\"subscribe\",\"topics\":[\"" + room + "\"]}");
            var subscribed = client.next("error");
            client.send("{\"type\":\"unsubscribe\",\"topics\":[\"" + room + "\"]}");
            var unsubscribed = client.next("error");

            assertThat(subscribed.path("code").asText()).isEqualTo("internal");
            assertThat(subscribed.path("message").asText())
                    .isEqualTo("subscribed on this node, but not recorded in the registry");
            assertThat(unsubscribed.path("code").asText()).isEqualTo("internal");
            assertThat(unsubscribed.path("message").asText())
                    .isEqualTo("unsubscribed on this node, but not recorded in the registry");
            client.send("{\"type\":\"ping\"}");
            assertThat(client.next("pong").path("type").asText()).isEqualTo("pong");
        }
    }
}
