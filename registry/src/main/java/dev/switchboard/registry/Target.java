package dev.switchboard.registry;

/**
 * Where to deliver to a connection: its id, the node (and that node's Management API URL) holding it, and whose it
 * is (so a broadcast can leave users out without another read).
 */
public record Target(String connectionId, String nodeId, String endpoint, String userId) {}
