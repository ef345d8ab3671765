package dev.switchboard.registry;

import java.time.Instant;

/** A gateway node: its Management API URL and how long its lease runs. */
public record Node(String id, String endpoint, Instant leaseUntil) {
    public boolean aliveAt(Instant now) {
        return leaseUntil.isAfter(now);
    }
}
