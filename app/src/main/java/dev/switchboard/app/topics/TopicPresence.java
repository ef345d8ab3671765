package dev.switchboard.app.topics;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.protocol.Json;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.Topics;
import java.util.Collection;
import java.util.Optional;

/**
 * Presence per topic, for clients: a subscriber that asked for it ({@code "presence":true}, where the topic rules
 * allow it) is a member; a user joins with its first member connection anywhere and leaves with its last, and every
 * member on every node gets {@code {"type":"join"|"leave","topic":…,"user":…}}. Who is a member is the registry's
 * ({@link Topics#join}, {@link Topics#leave}: one item per topic and user, so each transition is told once, whatever
 * node made it); the frames travel as publishes do, to members only. Leaves the registry makes itself — a
 * deregistration, a sweep of a dead node — come back through {@link #left}. Thread-safe; the calls block on
 * DynamoDB, so callers run them on the AWS call threads.
 */
public final class TopicPresence implements Topics.MemberLeft {
    private final ConnectionRegistry registry;
    private final LocalConnections hub;
    private final TopicRelay relay;
    private final ObjectMapper json;

    public TopicPresence(ConnectionRegistry registry, LocalConnections hub, TopicRelay relay, ObjectMapper json) {
        this.registry = registry;
        this.hub = hub;
        this.relay = relay;
        this.json = json;
        registry.topics().onMemberLeft(this);
    }

    /**
     * The connection, already subscribed to these topics (in the registry as a member: {@code Topics.subscribe} with
     * them as members), joins their presence: each join that is the user's first is told to every member.
     */
    public void join(ClientConnection connection, Collection<String> topics) {
        for (var topic : topics) {
            hub.join(connection, topic);
            if (registry.topics().join(topic, connection.userId(), connection.id())) {
                tell("join", topic, connection.userId());
            }
        }
    }

    /** The connection leaves these topics' presence (it unsubscribed): each that was the user's last is told. */
    public void leave(ClientConnection connection, Collection<String> topics) {
        for (var topic : topics) {
            if (registry.topics().leave(topic, connection.userId(), connection.id())) {
                tell("leave", topic, connection.userId());
            }
        }
    }

    /** A leave the registry made (the connection ended here, or a sweep removed a dead node's). */
    @Override
    public void left(String topic, String userId) {
        tell("leave", topic, userId);
    }

    /** One page of the topic's members, as the answer frame {@code {"type":"presence","topic","members","cursor"}}. */
    public String members(String topic, Optional<String> after, int limit) {
        var page = registry.topics().members(topic, after, limit);
        var frame = json.createObjectNode().put("type", "presence").put("topic", topic);
        var members = frame.putArray("members");
        for (var member : page.members()) {
            members.addObject().put("user", member.userId()).put("connections", member.connections());
        }
        page.next().ifPresent(next -> frame.put("cursor", next));
        return Json.text(frame);
    }

    private void tell(String type, String topic, String userId) {
        relay.toMembers(
                topic,
                Json.text(json.createObjectNode()
                        .put("type", type)
                        .put("topic", topic)
                        .put("user", userId)));
    }
}
