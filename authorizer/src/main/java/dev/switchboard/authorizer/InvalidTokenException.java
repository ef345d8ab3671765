package dev.switchboard.authorizer;

/** A token was refused; {@link #reason()} says why. The message never contains the token. */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public InvalidTokenException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
