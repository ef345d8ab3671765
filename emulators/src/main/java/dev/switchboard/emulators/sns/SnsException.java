package dev.switchboard.emulators.sns;

/**
 * An SNS error as AWS reports it: an error code the SDK maps to its exception types, an HTTP status, and whether
 * the sender or the service is at fault.
 */
final class SnsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    SnsException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    static SnsException invalidParameter(String message) {
        return new SnsException("InvalidParameter", 400, message);
    }

    static SnsException notFound(String message) {
        return new SnsException("NotFound", 404, message);
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    /** {@code Sender} for client errors, {@code Receiver} for the service's own. */
    String faultType() {
        return status >= 500 ? "Receiver" : "Sender";
    }
}
