package dev.switchboard.registry;

/** Where to deliver to a connection: its id, and the node (and that node's Management API URL) holding it. */
public record Target(String connectionId, String nodeId, String endpoint) {}
