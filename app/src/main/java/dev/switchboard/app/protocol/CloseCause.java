package dev.switchboard.app.protocol;

import java.util.Locale;

/**
 * Why a connection ended — the label {@code cause} of {@code switchboard_closes_total}, the close frame's reason and the
 * log's {@code cause=}. A close the node decides carries its {@link CloseCode}; one the peer or its socket ended has
 * none.
 */
public enum CloseCause {
    /** The peer closed, or its socket went away. */
    PEER(null),
    /** A backend's Management API {@code DELETE}. */
    MANAGEMENT_DELETE(CloseCode.NORMAL),
    /** The node is draining. */
    DRAIN(CloseCode.GOING_AWAY),
    /** No pong for two ping intervals. */
    UNRESPONSIVE(CloseCode.PEER_UNRESPONSIVE),
    /** Refused frames, again and again. */
    ABUSE(CloseCode.POLICY_VIOLATION),
    /** Its outbound queue passed {@code OUTBOUND_MAX_BYTES}: a slow consumer. */
    QUEUE_FULL(CloseCode.TRY_AGAIN_LATER),
    /** One write to it blocked for {@code OUTBOUND_STALL}: a slow consumer. */
    STALLED(CloseCode.TRY_AGAIN_LATER),
    /** Its token expired and no fresh one came. */
    TOKEN_EXPIRED(CloseCode.TOKEN_EXPIRED),
    /** The registry could not record it. */
    REGISTRY_FAILURE(CloseCode.INTERNAL_ERROR),
    /** Writing to its socket failed. */
    WRITE_FAILED(null);

    private final CloseCode code;

    CloseCause(CloseCode code) {
        this.code = code;
    }

    /**
     * The code the node closes with for this cause.
     *
     * @throws IllegalStateException for a cause the node does not close for ({@link #PEER}, {@link #WRITE_FAILED})
     */
    public CloseCode code() {
        if (code == null) {
            throw new IllegalStateException("the node does not close a connection for " + this);
        }
        return code;
    }

    /** A slow consumer's end: {@code switchboard_slow_consumer_closes_total} counts it too. */
    public boolean slowConsumer() {
        return this == QUEUE_FULL || this == STALLED;
    }

    /** Worth showing on the console's recent events: every end but a peer's close and a backend's DELETE. */
    public boolean notable() {
        return this != PEER && this != MANAGEMENT_DELETE;
    }

    /** The label value: {@code queue_full}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
