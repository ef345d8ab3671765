package dev.switchboard.app.protocol;

/**
 * Every close the gateway initiates, with its RFC 6455 status and whether a client should reconnect.
 * y-webrtc and sockette reconnect on anything but a normal close.
 */
public enum CloseCode {
    /** A Management API DELETE, or the client asked: do not reconnect. */
    NORMAL(1000, false),
    /** The node is shutting down: reconnect, to another node. */
    GOING_AWAY(1001, true),
    /** Abuse: far over the rate limit, again and again. Reconnecting at once will be refused again. */
    POLICY_VIOLATION(1008, false),
    /** A frame beyond the server's hard frame limit. */
    MESSAGE_TOO_BIG(1009, false),
    /**
     * A slow consumer: its outbound queue passed {@code OUTBOUND_MAX_BYTES}, or its socket took nothing for {@code
     * OUTBOUND_STALL}. What was queued for it is dropped. Reconnect, with a backoff, and catch up.
     */
    TRY_AGAIN_LATER(1013, true),
    /** The peer stopped answering pings. */
    PEER_UNRESPONSIVE(4000, true),
    /**
     * Its token expired (after the clock skew) and no fresh one came with {@code {"type":"refresh"}}: reconnect with a
     * fresh token.
     */
    TOKEN_EXPIRED(4001, true),
    /** A failure of ours. */
    INTERNAL_ERROR(1011, true);

    private final int status;
    private final boolean reconnect;

    CloseCode(int status, boolean reconnect) {
        this.status = status;
        this.reconnect = reconnect;
    }

    public int status() {
        return status;
    }

    public boolean reconnect() {
        return reconnect;
    }
}
