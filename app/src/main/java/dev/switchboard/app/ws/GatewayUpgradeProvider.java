package dev.switchboard.app.ws;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.http.Headers;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;

/**
 * Helidon's WebSocket upgrade with one change: an empty {@code origins} allow-list accepts every {@code Origin}.
 * From Helidon 4.4.1 an empty list accepts only the server's own origin, which refuses every browser on another
 * page — and a gateway serves pages it does not host. A non-empty list ({@code WS_ORIGINS}) is Helidon's own exact
 * check, and a request without {@code Origin} (no browser) is never checked. Registered as a service, weighted above
 * Helidon's own provider, which it replaces for the {@code websocket} protocol.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class GatewayUpgradeProvider extends WsUpgradeProvider {
    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new AnyOriginByDefault(config);
    }

    private static final class AnyOriginByDefault extends WsUpgrader {
        AnyOriginByDefault(WsConfig config) {
            super(config);
        }

        @Override
        protected void validateOrigin(Headers headers, String origin) {
            if (!anyOrigin()) {
                super.validateOrigin(headers, origin);
            }
        }
    }
}
