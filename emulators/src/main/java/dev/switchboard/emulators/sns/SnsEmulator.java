package dev.switchboard.emulators.sns;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.net.URI;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An SNS endpoint the real {@code SnsClient} can use, on Helidon's web server, delivering into SQS queues through
 * the given {@code SqsClient}. Publishing delivers synchronously, before the Publish call returns. Thread-safe;
 * {@link #close()} stops the server (the SqsClient stays the caller's).
 */
public final class SnsEmulator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SnsEmulator.class.getName());

    private final WebServer server;
    private final URI endpoint;
    private final SqsDelivery delivery;

    private SnsEmulator(WebServer server, URI endpoint, SqsDelivery delivery) {
        this.server = server;
        this.endpoint = endpoint;
        this.delivery = delivery;
    }

    /**
     * Starts the emulator on {@code host:port} (port 0 picks a free one).
     *
     * @param sqs the client deliveries go through; its endpoint is the SQS that holds the subscribed queues
     */
    public static SnsEmulator start(String host, int port, String region, String accountId, SqsClient sqs) {
        var topics = new SnsTopics("arn:aws:sns:" + region + ":" + accountId + ":");
        var handler = new Handler();
        var server = WebServer.builder()
                .host(host)
                .port(port)
                .routing(routing -> routing.post("/", handler::handle))
                .build()
                .start();
        var endpoint = URI.create("http://" + host + ":" + server.port());
        var delivery = new SqsDelivery(sqs, endpoint);
        handler.actions = new SnsActions(topics, delivery, accountId);
        return new SnsEmulator(server, endpoint, delivery);
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return server.port();
    }

    /** Deliveries that SQS refused (a missing queue, say); AWS would drop them too. */
    public long deliveryFailures() {
        return delivery.failures();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static final class Handler {
        private volatile SnsActions actions;

        void handle(ServerRequest request, ServerResponse response) {
            String body;
            try {
                body = actions.handle(new SnsRequest(request.content().as(Parameters.class)));
            } catch (SnsException e) {
                response.status(Status.create(e.status()));
                body = SnsXml.error(e);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "sns request failed", e);
                var error = new SnsException("InternalError", 500, "internal error: " + e.getMessage());
                response.status(Status.create(error.status()));
                body = SnsXml.error(error);
            }
            response.header(HeaderNames.CONTENT_TYPE, "text/xml").send(body);
        }
    }
}
