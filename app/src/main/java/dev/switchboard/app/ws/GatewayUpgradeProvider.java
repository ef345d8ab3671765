package dev.switchboard.app.ws;

import dev.switchboard.authorizer.TokenExtractor;
import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.common.uri.UriFragment;
import io.helidon.common.uri.UriQuery;
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
 * to the listener, for the per-address connect limit, and moves the query's token into a header: Helidon keeps the
 * request's prologue as long as the connection lives, and the token in its query (twice, about 1.3 KB of an RS256
 * token) with it, and the request's headers, which the reading thread holds all along. Registered as a service, weighted above
 * Helidon's own provider, which it replaces for the {@code websocket} protocol.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class GatewayUpgradeProvider extends WsUpgradeProvider {
    /** The request header that carries the socket's peer address to {@link GatewayListener}. */
    static final HeaderName PEER = HeaderNames.create("X-Switchboard-Peer");

    /** The request header that carries the query's {@code authorization} to {@link GatewayListener}. */
    static final HeaderName QUERY_TOKEN = HeaderNames.create("X-Switchboard-Query-Token");

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new AnyOriginByDefault(config);
    }

    private static final class AnyOriginByDefault extends WsUpgrader {
        AnyOriginByDefault(WsConfig config) {
            super(config);
        }

        /**
         * The socket's peer and the query's token, for the listener (which Helidon gives only the request's
         * headers): set here, over anything the client sent under those names. The connection keeps a prologue
         * without the query.
         */
        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            var peer = ctx.remotePeer().address();
            headers.set(
                    PEER,
                    peer instanceof InetSocketAddress inet && inet.getAddress() != null
                            ? inet.getAddress().getHostAddress()
                            : String.valueOf(peer));
            headers.remove(QUERY_TOKEN);
            prologue.query()
                    .first(TokenExtractor.QUERY_PARAMETER)
                    .asOptional()
                    .ifPresent(token -> headers.set(QUERY_TOKEN, token));
            var withoutQuery = HttpPrologue.create(
                    prologue.rawProtocol(),
                    prologue.protocol(),
                    prologue.protocolVersion(),
                    prologue.method(),
                    prologue.uriPath(),
                    UriQuery.empty(),
                    UriFragment.empty());
            var connection = super.upgrade(ctx, withoutQuery, headers);
            // Read by now (the listener kept what it needs), and otherwise held by the reading thread's stack for
            // the connection's whole life: with them, the whole handshake's bytes.
            headers.clear();
            return connection;
        }

        @Override
        protected void validateOrigin(Headers headers, String origin) {
            if (!anyOrigin()) {
                super.validateOrigin(headers, origin);
            }
        }
    }
}
