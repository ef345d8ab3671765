package dev.switchboard.app.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.delivery.NodeDeliveries;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.hub.OutFrame;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.metrics.GatewayMetrics.FrameKind;
import dev.switchboard.app.protocol.CloseCause;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.app.protocol.MalformedBodyException;
import dev.switchboard.app.topics.TopicRelay;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The internal socket's routes: the API Gateway Management API as the real {@code ApiGatewayManagementApiClient}
 * speaks it ({@code POST|GET|DELETE /@connections/{id}}, 410 {@code GoneException} for a connection not on this
 * node), the topic relay between our own nodes ({@code POST /@topics}, a {@code RelayBatch}), the pusher's deliveries
 * ({@code POST /@deliveries}, {@link NodeDeliveries}), and {@code /metrics}
 * (Prometheus). {@code /health} on the same socket is Helidon's health observer ({@code service}'s {@code
 * Observability}).
 */
public final class ManagementApi {
    private static final String ERROR_TYPE = "x-amzn-ErrorType";

    private final LocalConnections hub;
    private final Supplier<TopicRelay> topics;
    private final GatewayMetrics metrics;
    private final FrameLimit frameLimit;
    private final ObjectMapper json;
    private final NodeDeliveries deliveries;

    public ManagementApi(
            LocalConnections hub,
            Supplier<TopicRelay> topics,
            GatewayMetrics metrics,
            FrameLimit frameLimit,
            ObjectMapper json,
            NodeDeliveries.Kept kept) {
        this.hub = hub;
        this.topics = topics;
        this.metrics = metrics;
        this.frameLimit = frameLimit;
        this.json = json;
        this.deliveries = new NodeDeliveries(hub, kept, metrics, json, frameLimit);
    }

    public void routing(HttpRouting.Builder routing) {
        routing.post("/@connections/{id}", this::post)
                .get("/@connections/{id}", this::get)
                .delete("/@connections/{id}", this::delete)
                .post(TopicRelay.PATH, this::topicPublish)
                .post(NodeDeliveries.PATH, this::deliveries)
                .get("/metrics", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4")
                        .send(metrics.scrape()));
    }

    /**
     * Queues the body as one text frame for the connection and answers at once: 200 when queued, 410 when the
     * connection is not here (or closing), 429 {@code LimitExceededException} when its outbound queue is full — the
     * connection is then closed as a slow consumer, and the SDK treats 429 as a throttle (it retries).
     */
    private void post(ServerRequest request, ServerResponse response) {
        var connection = connection(request);
        if (connection.isEmpty()) {
            gone(response);
            return;
        }
        var body = request.content().as(byte[].class);
        if (frameLimit.exceeds(body)) {
            error(response, Status.create(413), "PayloadTooLargeException", frameLimit.message());
            return;
        }
        var text = new String(body, StandardCharsets.UTF_8);
        switch (connection.get().send(new OutFrame(text, body.length))) {
            case QUEUED -> {
                metrics.frameOut(FrameKind.MANAGEMENT);
                response.status(Status.OK_200).send();
            }
            case FULL ->
                error(
                        response,
                        Status.TOO_MANY_REQUESTS_429,
                        "LimitExceededException",
                        "the connection's outbound queue is full; it is being closed as a slow consumer");
            case CLOSED -> gone(response);
        }
    }

    /** Notification requests from the pusher, for this node's connections (docs/delivery.md). */
    private void deliveries(ServerRequest request, ServerResponse response) {
        String results;
        try {
            results = deliveries.handle(request.content().as(byte[].class));
        } catch (MalformedBodyException e) {
            error(response, Status.BAD_REQUEST_400, "BadRequestException", e.getMessage());
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, "application/json").send(results);
    }

    /** A topic publish from another node of ours, for every subscriber on this one. */
    private void topicPublish(ServerRequest request, ServerResponse response) {
        var body = new String(request.content().as(byte[].class), StandardCharsets.UTF_8);
        var relay = topics.get();
        if (relay == null) {
            error(response, Status.SERVICE_UNAVAILABLE_503, "ServiceUnavailableException", "the node is starting");
            return;
        }
        int delivered;
        try {
            delivered = relay.deliverFromNode(body);
        } catch (MalformedBodyException e) {
            response.status(Status.BAD_REQUEST_400).send(e.getMessage());
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(json.createObjectNode().put("delivered", delivered).toString());
    }

    private void get(ServerRequest request, ServerResponse response) {
        var connection = connection(request);
        if (connection.isEmpty()) {
            gone(response);
            return;
        }
        var c = connection.get();
        var body = json.createObjectNode()
                .put(
                        "connectedAt",
                        DateTimeFormatter.ISO_INSTANT.format(c.record().connectedAt()))
                .put("lastActiveAt", DateTimeFormatter.ISO_INSTANT.format(c.lastActiveAt()));
        body.putObject("identity").put("sourceIp", c.sourceIp()).put("userAgent", c.userAgent());
        response.header(HeaderNames.CONTENT_TYPE, "application/json").send(body.toString());
    }

    private void delete(ServerRequest request, ServerResponse response) {
        var connection = connection(request);
        if (connection.isEmpty()) {
            gone(response);
            return;
        }
        connection.get().close(CloseCause.MANAGEMENT_DELETE);
        response.status(Status.NO_CONTENT_204).send();
    }

    private Optional<ClientConnection> connection(ServerRequest request) {
        return hub.get(request.path().pathParameters().get("id")).filter(ClientConnection::isOpen);
    }

    private void gone(ServerResponse response) {
        error(response, Status.GONE_410, "GoneException", "the connection is not on this node");
    }

    private void error(ServerResponse response, Status status, String type, String message) {
        response.status(status)
                .header(ERROR_TYPE, type)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(json.createObjectNode().put("message", message).toString());
    }
}
