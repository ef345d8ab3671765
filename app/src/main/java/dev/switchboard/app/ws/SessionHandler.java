package dev.switchboard.app.ws;

import dev.switchboard.app.access.Admission;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.authorizer.Principal;
import io.helidon.websocket.WsSession;
import java.util.Optional;

/**
 * What the WebSocket transport hands its sessions to — the gateway: who may connect, the open of an admitted
 * session, and its frames. Declared here so that the transport depends on no more than this.
 */
public interface SessionHandler {
    GatewayMetrics metrics();

    /** Who may connect: the per-address and per-user limits, and where the source address comes from. */
    Admission admission();

    /** How many connections {@code userId} holds on this node. */
    int connectionsOf(String userId);

    /** The frame size limit. */
    FrameLimit frameLimit();

    /** Opens an admitted session; empty when it could not be (it is closed then). */
    Optional<ClientConnection> open(WsSession session, Principal principal, String sourceIp, String userAgent);

    /** One text frame. Never throws. */
    void onText(ClientConnection connection, String text);

    /** A binary frame: neither dialect has them. */
    void onBinary(ClientConnection connection);

    /** A frame larger than the limit, refused unread. */
    void onTooLarge(ClientConnection connection);
}
