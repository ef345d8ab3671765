package dev.switchboard.app.hub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub: the connections of this node, by id and by user, and, per topic, which of them subscribe to it.
 * Thread-safe; a publish or a delivery reads it without touching DynamoDB.
 */
public final class LocalConnections {
    private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientConnection>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientConnection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientConnection>> members = new ConcurrentHashMap<>();

    public void add(ClientConnection connection) {
        connections.put(connection.id(), connection);
        byUser.compute(connection.userId(), (user, set) -> {
            var mine = set == null ? ConcurrentHashMap.<ClientConnection>newKeySet() : set;
            mine.add(connection);
            return mine;
        });
    }

    /** The user's connections on this node. */
    public List<ClientConnection> connectionsOf(String userId) {
        var set = byUser.get(userId);
        return set == null ? List.of() : List.copyOf(set);
    }

    public Optional<ClientConnection> get(String id) {
        return Optional.ofNullable(connections.get(id));
    }

    public Collection<ClientConnection> all() {
        return List.copyOf(connections.values());
    }

    public int size() {
        return connections.size();
    }

    /** Bytes queued to the clients and not yet written, all connections together: what slow readers hold. */
    public long queuedBytes() {
        var sum = 0L;
        for (var connection : connections.values()) {
            sum += connection.queuedBytes();
        }
        return sum;
    }

    /** Removes the connection and its subscriptions; returns the topics it had. */
    public List<String> remove(ClientConnection connection) {
        connections.remove(connection.id(), connection);
        byUser.computeIfPresent(connection.userId(), (user, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
        var topics = List.copyOf(connection.topics());
        unsubscribe(connection, topics);
        return topics;
    }

    /** Makes a subscriber a member of the topic's presence here; whether it was not one already. */
    public boolean join(ClientConnection connection, String topic) {
        if (!connection.isSubscribedTo(topic) || !connection.memberTopics().add(topic)) {
            return false;
        }
        members.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(connection);
        return true;
    }

    /** The presence members of a topic on this node: who gets its join and leave frames. */
    public List<ClientConnection> membersOf(String topic) {
        var set = members.get(topic);
        return set == null ? List.of() : List.copyOf(set);
    }

    private void leave(ClientConnection connection, String topic) {
        if (connection.memberTopics().remove(topic)) {
            members.computeIfPresent(topic, (t, set) -> {
                set.remove(connection);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Subscribes; returns the topics that were new for this connection. */
    public List<String> subscribe(ClientConnection connection, List<String> topics) {
        return topics.stream()
                .distinct()
                .filter(topic -> {
                    if (!connection.topics().add(topic)) {
                        return false;
                    }
                    subscribers
                            .computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet())
                            .add(connection);
                    return true;
                })
                .toList();
    }

    /** Unsubscribes; returns the topics this connection had. */
    public List<String> unsubscribe(ClientConnection connection, List<String> topics) {
        var removed = new ArrayList<String>();
        for (var topic : topics) {
            if (connection.topics().remove(topic)) {
                removed.add(topic);
            }
            leave(connection, topic); // no subscriber, no member
            connection.forgetRecovery(topic);
            subscribers.computeIfPresent(topic, (t, set) -> {
                set.remove(connection);
                return set.isEmpty() ? null : set;
            });
        }
        return removed;
    }

    /** Every topic with a subscriber on this node. */
    public Set<String> topics() {
        return Set.copyOf(subscribers.keySet());
    }

    /** The subscribers of a topic on this node. */
    public List<ClientConnection> subscribersOf(String topic) {
        var set = subscribers.get(topic);
        return set == null ? List.of() : List.copyOf(set);
    }
}
