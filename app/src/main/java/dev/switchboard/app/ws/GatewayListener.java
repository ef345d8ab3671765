package dev.switchboard.app.ws;

import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.metrics.GatewayMetrics.Refusal;
import dev.switchboard.authorizer.Principal;
import dev.switchboard.authorizer.TokenExtractor;
import dev.switchboard.authorizer.TokenVerifier;
import dev.switchboard.authorizer.Verification;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One connection's listener (Helidon makes one per connection through a Supplier): the handshake checks the token
 * and answers 401 before any upgrade, which costs no DynamoDB write; then each frame goes to the {@link Gateway}.
 */
public final class GatewayListener implements WsListener {
    private static final System.Logger LOG = System.getLogger(GatewayListener.class.getName());

    private final SessionHandler gateway;
    private final TokenVerifier verifier;
    private final BooleanSupplier draining;
    private Principal principal;
    private String userAgent = "";
    private String sourceIp = "";
    private ClientConnection connection;
    private StringBuilder partial; // made for a message's first fragment, dropped after its last
    private boolean partialTooLarge;

    /** @param gateway the node's gateway; null while the node starts, when every upgrade is refused (503) */
    public GatewayListener(SessionHandler gateway, TokenVerifier verifier, BooleanSupplier draining) {
        this.gateway = gateway;
        this.verifier = verifier;
        this.draining = draining;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        if (gateway == null) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.SERVICE_UNAVAILABLE_503)
                    .message("this node is starting; connect again")
                    .build();
        }
        if (draining.getAsBoolean()) {
            gateway.metrics().handshakeRefused(Refusal.DRAINING);
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.SERVICE_UNAVAILABLE_503)
                    .message("this node is shutting down; connect again")
                    .build();
        }
        var admission = gateway.admission();
        var forwarded = headers.contains(HeaderNames.X_FORWARDED_FOR)
                ? headers.get(HeaderNames.X_FORWARDED_FOR).allValues()
                : List.<String>of();
        sourceIp = admission.sourceAddress(
                forwarded, headers.first(GatewayUpgradeProvider.PEER).orElse("unknown"));
        if (!admission.mayConnectFrom(sourceIp)) {
            throw tooMany(Refusal.CONNECT_RATE, "too many new connections from this address; connect again later");
        }
        var token = TokenExtractor.extract(
                headers.first(GatewayUpgradeProvider.QUERY_TOKEN), headers.first(HeaderNames.AUTHORIZATION));
        principal = switch (verifier.verify(token.orElse(""))) {
            case Verification.Verified(var verified) -> verified;
            case Verification.Refused refused -> {
                gateway.metrics().handshakeRefused(refused.reason());
                LOG.log(Level.INFO, "handshake refused reason={0}", refused.reason());
                throw RequestException.builder()
                        .type(DirectHandler.EventType.OTHER)
                        .status(Status.UNAUTHORIZED_401)
                        .message("unauthorized: " + refused.reason().label())
                        .build();
            }
        };
        var refusal = admission.userRefusal(gateway.connectionsOf(principal.userId()));
        if (refusal.isPresent()) {
            throw tooMany(Refusal.USER_CONNECTIONS, refusal.get());
        }
        userAgent = headers.first(HeaderNames.USER_AGENT).orElse("");
        // Headers of our own for the 101 (none), which the connection keeps instead of the request's: those hold
        // the whole handshake (the token's header included) for as long as the connection lives.
        return Optional.of(WritableHeaders.create());
    }

    private RequestException tooMany(Refusal reason, String message) {
        gateway.metrics().handshakeRefused(reason);
        LOG.log(Level.INFO, "handshake refused reason={0} sourceIp={1}", reason.label(), sourceIp);
        return RequestException.builder()
                .type(DirectHandler.EventType.OTHER)
                .status(Status.TOO_MANY_REQUESTS_429)
                .message(message)
                .build();
    }

    @Override
    public void onOpen(WsSession session) {
        connection = gateway.open(session, principal, sourceIp, userAgent).orElse(null);
        principal = null; // its claims were read at open: an idle connection keeps only what it uses
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (connection == null || !connection.isOpen()) {
            return; // from the moment a close is decided, nothing a client sends is handled
        }
        if (last && partial == null && !partialTooLarge) {
            gateway.onText(connection, text); // it checks the size
            return;
        }
        // A message in fragments: gather it, but never past the limit.
        if (!partialTooLarge) {
            if (partial == null) {
                partial = new StringBuilder(text.length() * 2);
            }
            partial.append(text);
            partialTooLarge = gateway.frameLimit().exceeds(partial);
            if (partialTooLarge) {
                partial = null;
            }
        }
        if (last) {
            if (partialTooLarge) {
                gateway.onTooLarge(connection);
            } else {
                gateway.onText(connection, partial.toString());
            }
            partial = null;
            partialTooLarge = false;
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (connection != null && connection.isOpen() && last) {
            gateway.onBinary(connection);
        }
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        if (connection != null) {
            connection.ponged();
        }
    }

    /** A client's ping is answered with a pong carrying its payload (RFC 6455 §5.5.2), through the outbound queue. */
    @Override
    public void onPing(WsSession session, BufferData buffer) {
        if (connection != null) {
            connection.ponged(); // a pinging client is alive, too
            connection.pong(buffer);
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (connection != null) {
            connection.peerClosed(status);
            connection = null;
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(Level.DEBUG, "connection error: " + t.getMessage());
        if (connection != null) {
            connection.peerClosed(ClientConnection.ABNORMAL);
            connection = null;
        }
    }
}
