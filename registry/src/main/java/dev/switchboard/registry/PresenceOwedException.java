package dev.switchboard.registry;

/**
 * The registry is written, but a presence change could not be announced (the {@link Announcer} failed): it stays
 * owed in the registry. {@link Presence#announceOwed} offers it again; a sweep does too if this node dies.
 */
public final class PresenceOwedException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final String userId;

    public PresenceOwedException(String userId, Throwable cause) {
        super("presence of user " + userId + " not announced: " + cause.getMessage(), cause);
        this.userId = userId;
    }

    public String userId() {
        return userId;
    }
}
