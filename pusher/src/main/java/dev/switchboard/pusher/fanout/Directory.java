package dev.switchboard.pusher.fanout;

import dev.switchboard.registry.ApiGatewayNodes;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.Target;
import java.util.Collection;
import java.util.List;

/**
 * Where a fan-out finds its targets and forgets the gone ones: the registry ({@link #of}), or one in memory for tests.
 * Every lookup may block; none is a Scan.
 */
public interface Directory {
    /** A user's live connections. */
    List<Target> connectionsOf(String userId);

    /** A topic's subscribers, on every node. */
    List<Target> subscribersOf(String topic);

    /**
     * Every live connection, node by node; behind a real API Gateway ({@code apiGateway}) those under its pseudo-nodes,
     * which have no node record.
     */
    Collection<List<Target>> everyone(boolean apiGateway);

    /** Forgets a connection the Management API found gone. */
    void forget(String connectionId);

    static Directory of(ConnectionRegistry registry) {
        return new Directory() {
            @Override
            public List<Target> connectionsOf(String userId) {
                return registry.connections().connectionsOf(userId);
            }

            @Override
            public List<Target> subscribersOf(String topic) {
                return registry.topics().subscribersOf(topic);
            }

            @Override
            public Collection<List<Target>> everyone(boolean apiGateway) {
                return apiGateway
                        ? registry.connections()
                                .everyoneOn(ApiGatewayNodes.all())
                                .values()
                        : registry.connections().everyone().values();
            }

            @Override
            public void forget(String connectionId) {
                registry.connections().deregister(connectionId);
            }
        };
    }
}
