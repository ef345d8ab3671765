package dev.switchboard.app;

import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.topics.TopicPresence;
import dev.switchboard.registry.Announcer;
import dev.switchboard.registry.Connection;
import dev.switchboard.registry.ConnectionRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The gateway's {@link Gateway.Records} in the registry, presence announced through {@code announcer}. */
final class RegistryRecords implements Gateway.Records {
    private final ConnectionRegistry registry;
    private final Announcer announcer;
    private final TopicPresence presence;

    RegistryRecords(ConnectionRegistry registry, Announcer announcer, TopicPresence presence) {
        this.registry = registry;
        this.announcer = announcer;
        this.presence = presence;
    }

    @Override
    public void register(Connection connection) {
        registry.connections().register(connection, announcer);
    }

    @Override
    public void deregister(Connection connection) {
        registry.connections().deregister(connection, announcer);
    }

    @Override
    public Collection<String> deregisterAll(Map<Connection, List<String>> connections, int parallelism) {
        return registry.connections().deregisterAll(connections, announcer, parallelism);
    }

    @Override
    public void registerAgain(ClientConnection connection) {
        registry.connections().register(connection.record(), announcer);
        var members = connection.memberTopicSet();
        registry.topics().subscribe(connection.record(), connection.topicList(), members);
        presence.join(connection, members); // the sweep told them it left
    }

    @Override
    public void announceOwed(String userId) {
        registry.presence().announceOwed(userId, announcer);
    }
}
