package dev.switchboard.registry;

/**
 * A registry operation failed after the SDK's own retries (throttling, transient errors); the message names the
 * operation and its subject.
 */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    public RegistryException(String message) {
        super(message);
    }
}
