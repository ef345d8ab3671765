package dev.switchboard.app.hub;

/** What became of a frame handed to a connection: it never waits for the client's socket. */
public enum SendResult {
    /** Queued; the connection's writer sends it. */
    QUEUED,
    /** The outbound queue would pass its bound: not queued, and the connection is closed as a slow consumer. */
    FULL,
    /** The connection is closed or closing: not queued. */
    CLOSED
}
