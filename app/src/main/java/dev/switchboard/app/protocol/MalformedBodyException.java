package dev.switchboard.app.protocol;

/**
 * A body another node or a pusher sent to the internal socket is not what its route takes (a relay batch, a
 * {@code POST /@deliveries}); the message says what is wrong and where. Answered with 400; nothing of it is delivered.
 */
public final class MalformedBodyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedBodyException(String message) {
        super(message);
    }

    public MalformedBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
