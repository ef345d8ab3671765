package dev.switchboard.app.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Main.AwsClients;
import dev.switchboard.app.outputs.Outputs;
import dev.switchboard.pusher.fanout.Delivery;
import dev.switchboard.pusher.fanout.Directory;
import dev.switchboard.pusher.fanout.FanOut;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Lambda function behind every route of the WebSocket API: {@code
 * dev.switchboard.app.lambda.WebSocketHandler::handleRequest}. Reads API Gateway's event as it comes (JSON),
 * answers {@code {"statusCode":…}}: on {@code $connect} anything but 200 refuses the connection; on the other
 * routes the answer is not sent to the client (replies go through the Management API). Clients are built once per
 * execution environment. Settings: the gateway's environment names (docs/serverless.md).
 */
public final class WebSocketHandler implements RequestStreamHandler {
    private static final System.Logger LOG = System.getLogger(WebSocketHandler.class.getName());

    /** Posts in flight at once, per invocation's fan-out, and per endpoint (one API). */
    static final int POSTS_IN_FLIGHT = 128;

    static final int ATTEMPTS = 3;
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    private final ServerlessGateway gateway;
    private final ObjectMapper json;

    /** For the Lambda runtime: settings from the environment, clients built once per execution environment. */
    public WebSocketHandler() {
        this(ServerlessSettings.from(Settings.of(ServerlessSettings.config())), AwsClients.fromEnvironment());
    }

    WebSocketHandler(ServerlessSettings settings, AwsClients clients) {
        this.json = new ObjectMapper();
        var clock = Clock.systemUTC();
        var registry = new ConnectionRegistry(
                clients.dynamoDb(),
                RegistrySettings.of(settings.table())
                        .withIndex(settings.index())
                        .withConnectionTtl(settings.connectionTtl()),
                clock);
        var outputs = new Outputs(
                clients.sqs(),
                clients.sns(),
                settings.messagesQueueUrl(),
                settings.messagesTopicArn(),
                settings.presenceTarget(),
                settings.source(),
                json,
                clock);
        var delivery =
                new Delivery(POSTS_IN_FLIGHT, POSTS_IN_FLIGHT, ATTEMPTS, ATTEMPT_TIMEOUT, settings.apigwEndpoint());
        this.gateway = new ServerlessGateway(
                settings, registry, outputs, new FanOut(Directory.of(registry), delivery, Optional.empty()), json);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        int status;
        try {
            status = gateway.handle(WebSocketEvent.parse(json.readTree(input)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ServerlessGateway.FAILED;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "event failed", e);
            status = ServerlessGateway.FAILED;
        }
        json.writeValue(output, Map.of("statusCode", status));
    }
}
