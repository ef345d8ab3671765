package dev.switchboard.settings;

/** A setting is missing or invalid; the message names its key and environment variable. The service does not start. */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
