package dev.switchboard.registry;

import java.time.Instant;
import java.util.Map;

/**
 * A live WebSocket connection as the registry records it.
 *
 * @param endpoint the Management API URL of the node that holds it
 * @param claims the subset of the token's claims worth keeping (small: they are stored with the connection)
 */
public record Connection(
        String id, String userId, String nodeId, String endpoint, Instant connectedAt, Map<String, String> claims) {
    public Connection {
        claims = Map.copyOf(claims);
    }

    public Target target() {
        return new Target(id, nodeId, endpoint, userId);
    }
}
