package dev.switchboard.registry;

import java.time.Instant;

/**
 * A node's hold on its record in the registry: the run it belongs to ({@code epoch}) and until when it lasts. A
 * renewal is conditional on it (docs/registry.md, "Fencing").
 */
public record Lease(String nodeId, String epoch, Instant until) {}
