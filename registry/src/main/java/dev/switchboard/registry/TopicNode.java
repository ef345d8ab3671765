package dev.switchboard.registry;

/** A node that holds subscribers of a topic: where to reach it, and how many subscribers it has there. */
public record TopicNode(String nodeId, String endpoint, int subscribers) {}
