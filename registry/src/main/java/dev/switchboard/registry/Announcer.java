package dev.switchboard.registry;

/**
 * Publishes presence changes for the registry (to SNS or SQS, say). The registry calls it for every change owed —
 * the one just made, and any an earlier holder failed to publish — in version order, and records a version as
 * announced only once this returned for it: a change is published at least once.
 */
@FunctionalInterface
public interface Announcer {
    /** Does nothing: for a deployment that publishes no presence. */
    Announcer NONE = change -> {};

    /**
     * Publishes one change.
     *
     * @throws RuntimeException when it could not; the change stays owed and is offered again
     */
    void announce(PresenceChange change);
}
