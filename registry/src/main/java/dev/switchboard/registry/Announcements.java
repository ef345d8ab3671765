package dev.switchboard.registry;

import java.util.List;

/**
 * Publishing what users' presence owes: every version after the last announced one, in version order, through the
 * announcer, then recorded announced. When the announcer fails nothing is recorded, so the versions stay owed for
 * whoever comes next (a retry, a sweeper).
 */
final class Announcements {
    private final PresenceLedger presence;

    Announcements(PresenceLedger presence) {
        this.presence = presence;
    }

    /**
     * Announces whatever the user's presence owes. One GetItem, and one UpdateItem if any was owed.
     *
     * @throws PresenceOwedException when the announcer failed
     */
    void announceOwed(String userId, Announcer announcer) {
        announce(userId, presence.owed(userId), announcer);
    }

    /**
     * Announces what a join or leave leaves owed: the owed versions of its transition; after a repeat (a retry of
     * a register or deregister whose announcement failed), whatever the user's presence still owes; else nothing.
     */
    void settle(String userId, PresenceLedger.Outcome outcome, Announcer announcer) {
        if (outcome.transition().isPresent()) {
            announce(userId, outcome.transition().get().owed(), announcer);
        } else if (outcome.repeat()) {
            announceOwed(userId, announcer);
        }
    }

    void announce(String userId, List<PresenceChange> owed, Announcer announcer) {
        if (owed.isEmpty()) {
            return;
        }
        try {
            owed.forEach(announcer::announce);
        } catch (RuntimeException e) {
            throw new PresenceOwedException(userId, e);
        }
        presence.announced(userId, owed.getLast().version());
    }
}
