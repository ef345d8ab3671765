package dev.switchboard.registry;

/**
 * The registry's presence ({@link ConnectionRegistry#presence()}): who is online, and what their presence still owes
 * the backends. The ledger itself is written by {@link Connections} as connections come and go (docs/registry.md,
 * "Presence"). Thread-safe.
 */
public final class Presence {
    private final PresenceLedger ledger;
    private final Announcements announcements;
    private final CapacityMeter meter;

    Presence(PresenceLedger ledger, Announcements announcements, CapacityMeter meter) {
        this.ledger = ledger;
        this.announcements = announcements;
        this.meter = meter;
    }

    /**
     * Announces whatever the user's presence owes — changes a node made and could not publish, or made and died
     * before publishing — in version order, and records them announced. One GetItem, and one UpdateItem if any was
     * owed.
     *
     * @throws PresenceOwedException when the announcer failed
     */
    public void announceOwed(String userId, Announcer announcer) {
        meter.call(Operation.WRITE_ANNOUNCE_OWED);
        announcements.announceOwed(userId, announcer);
    }

    /** Counts the user's live connections: one strongly consistent GetItem on the presence item. */
    public int connectionCount(String userId) {
        meter.call(Operation.READ_PRESENCE);
        return ledger.connectionCount(userId);
    }
}
