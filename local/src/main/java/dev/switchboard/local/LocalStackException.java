package dev.switchboard.local;

/** The local stack cannot start as configured; the message says why and what to change. */
final class LocalStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LocalStackException(String message) {
        super(message);
    }

    LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
