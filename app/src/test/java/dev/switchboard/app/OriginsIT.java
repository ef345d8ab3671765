package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Browsers send an {@code Origin}: any page connects by default; {@code WS_ORIGINS} restricts it. */
@ExtendWith(EmulatorsExtension.class)
class OriginsIT {
    @Test
    void byDefaultABrowserOnAnyPageConnects(Emulators emulators, TestNames names) throws Exception {
        try (var gateway = new GatewayFixture(emulators, names, Map.of());
                var client = TestClient.connect(
                        gateway.ws(gateway.token("alice")), Map.of("Origin", "https://some-page.example"))) {
            assertThat(client.pingForConnectionId()).isNotBlank();
        }
    }

    @Test
    void withAnAllowListOnlyItsOriginsAndClientsWithoutOriginConnect(Emulators emulators, TestNames names)
            throws Exception {
        try (var gateway = new GatewayFixture(
                emulators, names, Map.of("WS_ORIGINS", "https://App.example.com, http://localhost:5173"))) {
            var uri = gateway.ws(gateway.token("alice"));

            try (var listed = TestClient.connect(uri, Map.of("Origin", "https://app.example.com"));
                    var local = TestClient.connect(uri, Map.of("Origin", "http://localhost:5173"));
                    var noBrowser = TestClient.connect(uri, Map.of())) {
                assertThat(listed.pingForConnectionId()).isNotBlank();
                assertThat(local.pingForConnectionId()).isNotBlank();
                assertThat(noBrowser.pingForConnectionId()).isNotBlank();
            }
            assertThatThrownBy(() -> TestClient.connect(uri, Map.of("Origin", "https://evil.example")))
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        }
    }
}
