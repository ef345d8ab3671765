package dev.switchboard.registry;

/**
 * A user came online (first live connection anywhere) or went offline (last one gone). {@code version} orders the
 * changes of one user across nodes: it grows with every change of that user's connection set.
 */
public record PresenceChange(String userId, Status status, long version) {
    public enum Status {
        ONLINE,
        OFFLINE
    }
}
