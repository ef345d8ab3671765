package dev.switchboard.emulators;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ 1.7.1 in this JVM: SQS for the AWS SDK v2 (JSON protocol), bound to one host and a fixed port or,
 * with port 0, a free one. Queue URLs name the address it is bound to; queue ARNs name the given region and
 * account, so SNS subscriptions can point at them as in AWS.
 */
public final class SqsEmulator implements AutoCloseable {
    private final SQSRestServer server;
    private final URI endpoint;

    private SqsEmulator(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * Starts ElasticMQ on {@code host:port} (port 0 picks a free one).
     *
     * @throws EmulatorException when it cannot start (the port is taken, say)
     */
    public static SqsEmulator start(String host, int port, String region, String accountId) {
        var builder =
                SQSRestServerBuilder.withInterface(host).withAWSRegion(region).withAWSAccountId(accountId);
        builder = port == 0
                ? builder.withDynamicPort()
                : builder.withPort(port).withServerAddress(new NodeAddress("http", host, port, ""));
        SQSRestServer server = null;
        try {
            server = builder.start();
            var bound = server.waitUntilStarted().localAddress().getPort();
            return new SqsEmulator(server, URI.create("http://" + host + ":" + bound));
        } catch (RuntimeException e) {
            if (server != null) {
                server.stopAndWait();
            }
            throw new EmulatorException("starting ElasticMQ on " + host + ":" + port, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
