package dev.switchboard.registry;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table layout (docs/registry.md): attribute names, the keys of each item type, and items to and from records.
 * Every item has {@code pk}, {@code sk} (the index's keys, so no item is ever missing from it) and {@code ttl}.
 */
final class Items {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String TTL = "ttl";
    static final String USER = "user";
    static final String NODE = "node";
    static final String ENDPOINT = "endpoint";
    static final String CONNECTED_AT = "connectedAt";
    static final String CLAIMS = "claims";
    static final String CONNECTIONS = "conns";
    static final String VERSION = "version";
    static final String ANNOUNCED = "announced";
    static final String LEASE = "lease";
    static final String EPOCH = "epoch";
    static final String SWEEPER = "sweeper";
    static final String SWEPT_AT = "sweptAt";
    static final String COUNT = "count";
    static final String PRESENCE = "presence";

    private final RegistrySettings.KeyPrefixes prefix;

    Items(RegistrySettings.KeyPrefixes prefix) {
        this.prefix = prefix;
    }

    String connectionKey(String connectionId) {
        return prefix.connection() + connectionId;
    }

    String topicKey(String topic) {
        return prefix.topic() + topic;
    }

    String userKey(String userId) {
        return prefix.user() + userId;
    }

    String nodeKey(String nodeId) {
        return prefix.node() + nodeId;
    }

    String connectionPrefix() {
        return prefix.connection();
    }

    String nodePrefix() {
        return prefix.node();
    }

    String nodesPartition() {
        return prefix.nodes();
    }

    Map<String, AttributeValue> presenceKey(String userId) {
        return key(userKey(userId), prefix.presence() + userId);
    }

    /** A user's membership of a topic's presence: {@code topic#<t>} / {@code member#<u>}. */
    Map<String, AttributeValue> memberKey(String topic, String userId) {
        return key(topicKey(topic), prefix.member() + userId);
    }

    /** A topic's history partition: {@code history#<t>}. */
    String historyKey(String topic) {
        return prefix.history() + topic;
    }

    String memberPrefix() {
        return prefix.member();
    }

    String topicPrefix() {
        return prefix.topic();
    }

    Map<String, AttributeValue> nodeRecordKey(String nodeId) {
        return key(prefix.nodes(), nodeKey(nodeId));
    }

    /** The connection's own record, under its node: {@code node#<node>} / {@code conn#<id>}. */
    Map<String, AttributeValue> connectionItem(Connection connection, long ttl) {
        var item = targetItem(nodeKey(connection.nodeId()), connection.target(), ttl);
        item.put(CONNECTED_AT, number(connection.connectedAt().toEpochMilli()));
        if (!connection.claims().isEmpty()) {
            var claims = new HashMap<String, AttributeValue>();
            connection.claims().forEach((k, v) -> claims.put(k, AttributeValue.fromS(v)));
            item.put(CLAIMS, AttributeValue.fromM(claims));
        }
        return item;
    }

    /** An item that points at a connection, under any partition (user, topic, node). */
    Map<String, AttributeValue> targetItem(String partition, Target target, long ttl) {
        var item = key(partition, connectionKey(target.connectionId()));
        item.put(USER, AttributeValue.fromS(target.userId()));
        item.put(NODE, AttributeValue.fromS(target.nodeId()));
        item.put(ENDPOINT, AttributeValue.fromS(target.endpoint()));
        item.put(TTL, number(ttl));
        return item;
    }

    Target target(Map<String, AttributeValue> item) {
        return new Target(
                item.get(SK).s().substring(prefix.connection().length()),
                item.get(NODE).s(),
                item.get(ENDPOINT).s(),
                item.get(USER).s());
    }

    Connection connection(Map<String, AttributeValue> item) {
        var claims = new HashMap<String, String>();
        Optional.ofNullable(item.get(CLAIMS)).ifPresent(m -> m.m().forEach((k, v) -> claims.put(k, v.s())));
        var target = target(item);
        return new Connection(
                target.connectionId(),
                target.userId(),
                target.nodeId(),
                target.endpoint(),
                Instant.ofEpochMilli(Long.parseLong(item.get(CONNECTED_AT).n())),
                claims);
    }

    static boolean isLive(Map<String, AttributeValue> item, long nowSeconds) {
        var ttl = item.get(TTL);
        return ttl == null || Long.parseLong(ttl.n()) > nowSeconds;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        var key = new HashMap<String, AttributeValue>();
        key.put(PK, AttributeValue.fromS(pk));
        key.put(SK, AttributeValue.fromS(sk));
        return key;
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
