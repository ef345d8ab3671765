package dev.switchboard.app.ws;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;
import java.net.InetSocketAddress;

/**
 * Helidon's WebSocket upgrade with one change: an empty {@code origins} allow-list accepts every {@code Origin}.
 * From Helidon 4.4.1 an empty list accepts only the server's own origin, which refuses every browser on another
 * page — and a gateway serves pages it does not host. A non-empty list ({@code WS_ORIGINS}) is Helidon's own exact
 * check, and a request without {@code Origin} (no browser) is never checked. It also hands the socket's peer address
 * to the listener, for the per-address connect limit. Registered as a service, weighted above
 * Helidon's own provider, which it replaces for the {@code websocket} protocol.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class GatewayUpgradeProvider extends WsUpgradeProvider {
    /** The request header that carries the socket's peer address to {@link GatewayListener}. */
    static final HeaderName PEER = HeaderNames.create("X-Switchboard-Peer");

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new AnyOriginByDefault(config);
    }

    private static final class AnyOriginByDefault extends WsUpgrader {
        AnyOriginByDefault(WsConfig config) {
            super(config);
        }

        /**
         * The socket's peer, for the listener (which Helidon gives only the request's headers): set here, over
         * anything the client sent under that name.
         */
        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            var peer = ctx.remotePeer().address();
            headers.set(
                    PEER,
                    peer instanceof InetSocketAddress inet && inet.getAddress() != null
                            ? inet.getAddress().getHostAddress()
                            : String.valueOf(peer));
            return super.upgrade(ctx, prologue, headers);
        }

        @Override
        protected void validateOrigin(Headers headers, String origin) {
            if (!anyOrigin()) {
                super.validateOrigin(headers, origin);
            }
        }
    }
}
