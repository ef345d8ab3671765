package dev.switchboard.app.outputs;

/** An output refused a message, or is not configured; the client is told, nothing is lost silently. */
public final class OutputException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean configured;

    public OutputException(String message, boolean configured, Throwable cause) {
        super(message, cause);
        this.configured = configured;
    }

    /** False when no output is configured for this action. */
    public boolean configured() {
        return configured;
    }
}
