package dev.switchboard.registry;

import java.time.Duration;

/**
 * Where the registry lives and how long its records last.
 *
 * @param table the DynamoDB table
 * @param index the index whose hash key is the sort key ({@code sk}) and range key the partition key
 * @param prefix the key prefixes: a deployment may share a table with others by choosing its own
 * @param connectionTtl how long a connection's items live without a refresh; a backstop only, since live
 *     connections are known by their node's lease (refresh them at half this, see {@link
 *     Connections#refresh})
 * @param nodeLease how long a node is alive after its last heartbeat
 * @param pageSize items per Query page (DynamoDB also ends a page at 1 MB)
 */
public record RegistrySettings(
        String table, String index, KeyPrefixes prefix, Duration connectionTtl, Duration nodeLease, int pageSize) {
    public static final String DEFAULT_INDEX = "sk-index";

    /** The key prefixes of each item type (docs/registry.md). */
    public record KeyPrefixes(
            String connection,
            String topic,
            String user,
            String node,
            String presence,
            String nodes,
            String member,
            String history) {
        /** With the default prefixes of topic members ({@code member#}) and histories ({@code history#}). */
        public KeyPrefixes(String connection, String topic, String user, String node, String presence, String nodes) {
            this(connection, topic, user, node, presence, nodes, "member#", "history#");
        }

        public static KeyPrefixes defaults() {
            return new KeyPrefixes("conn#", "topic#", "user#", "node#", "presence#", "nodes", "member#", "history#");
        }
    }

    public RegistrySettings {
        if (table == null || table.isBlank() || index == null || index.isBlank()) {
            throw new IllegalArgumentException("the registry needs a table and an index name");
        }
        if (connectionTtl.compareTo(Duration.ofMinutes(1)) < 0 || nodeLease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("connectionTtl must be >= 1 min and nodeLease >= 1 s");
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
    }

    /** The defaults for a table: index {@code sk-index}, default prefixes, 24 h connection TTL, 30 s node lease. */
    public static RegistrySettings of(String table) {
        return new RegistrySettings(
                table, DEFAULT_INDEX, KeyPrefixes.defaults(), Duration.ofHours(24), Duration.ofSeconds(30), 1000);
    }

    public RegistrySettings withIndex(String indexName) {
        return new RegistrySettings(table, indexName, prefix, connectionTtl, nodeLease, pageSize);
    }

    public RegistrySettings withPageSize(int size) {
        return new RegistrySettings(table, index, prefix, connectionTtl, nodeLease, size);
    }

    public RegistrySettings withConnectionTtl(Duration ttl) {
        return new RegistrySettings(table, index, prefix, ttl, nodeLease, pageSize);
    }

    public RegistrySettings withNodeLease(Duration lease) {
        return new RegistrySettings(table, index, prefix, connectionTtl, lease, pageSize);
    }
}
