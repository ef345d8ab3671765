package dev.switchboard.emulators;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local 2.6.1 in this JVM, in memory, shared by every credential ({@code -sharedDb}), telemetry off,
 * bound to one host (loopback) and to a fixed port or, with port 0, a free one.
 */
public final class DynamoDbEmulator implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private DynamoDbEmulator(DynamoDBProxyServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * Starts DynamoDB Local on {@code host:port}.
     *
     * @throws EmulatorException when it cannot start (the port is taken, say)
     */
    public static DynamoDbEmulator start(String host, int port) {
        try {
            // Its command line refuses port 0; the connector below is given the real port.
            var server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(ServerRunner.DEFAULT_PORT)
            });
            // DynamoDB Local offers no bind address, no port 0 and no way to learn its port: reach its Jetty
            // connector to bind this host and port and to read the port back. Only this class does so.
            var connector = connectorOf(server);
            connector.setHost(host);
            connector.setPort(port);
            server.start();
            return new DynamoDbEmulator(server, URI.create("http://" + host + ":" + connector.getLocalPort()));
        } catch (Exception e) {
            throw new EmulatorException("starting DynamoDB Local on " + host + ":" + port, e);
        }
    }

    private static ServerConnector connectorOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        var field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        var jetty = (Server) field.get(proxy);
        return (ServerConnector) jetty.getConnectors()[0];
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new EmulatorException("stopping DynamoDB Local at " + endpoint, e);
        }
    }
}
