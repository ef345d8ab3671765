package dev.switchboard.registry;

/**
 * The registry's operations as {@link CapacityMeter} counts them, each with the label it reports ({@code
 * read:subscribersOf}, {@code write:register}, …): reads and writes of one public operation, or of a part of several
 * ({@code write:presence}, {@code write:lease}).
 */
enum Operation {
    READ_CONNECTION("read:connection"),
    READ_CONNECTIONS_OF("read:connectionsOf"),
    READ_CONNECTIONS_OF_NODE("read:connectionsOfNode"),
    READ_EVERYONE("read:everyone"),
    READ_NODE("read:node"),
    READ_NODES("read:nodes"),
    READ_NODES_OF("read:nodesOf"),
    READ_PRESENCE("read:presence"),
    READ_SUBSCRIBERS_OF("read:subscribersOf"),
    READ_MEMBERS("read:members"),
    READ_HISTORY("read:history"),
    WRITE_ANNOUNCE_OWED("write:announceOwed"),
    WRITE_DEREGISTER("write:deregister"),
    WRITE_DEREGISTER_ALL("write:deregisterAll"),
    WRITE_FORGET_NODE("write:forgetNode"),
    WRITE_FORGET_TOPICS_OF("write:forgetTopicsOf"),
    WRITE_HEARTBEAT("write:heartbeat"),
    WRITE_LEASE("write:lease"),
    WRITE_PRESENCE("write:presence"),
    WRITE_REFRESH("write:refresh"),
    WRITE_REGISTER("write:register"),
    WRITE_SUBSCRIBE("write:subscribe"),
    WRITE_SWEEP("write:sweep"),
    WRITE_TOPIC_SUBSCRIBERS("write:topicSubscribers"),
    WRITE_UNSUBSCRIBE("write:unsubscribe"),
    WRITE_JOIN("write:join"),
    WRITE_APPEND("write:append"),
    WRITE_LEAVE("write:leave");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
