package dev.switchboard.app.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.access.TopicAccess;
import dev.switchboard.app.outputs.OutputException;
import dev.switchboard.app.outputs.Outputs;
import dev.switchboard.app.protocol.ErrorCode;
import dev.switchboard.app.protocol.Frame;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.app.protocol.FrameParser;
import dev.switchboard.pusher.fanout.FanOut;
import dev.switchboard.registry.Announcer;
import dev.switchboard.registry.ApiGatewayNodes;
import dev.switchboard.registry.Connection;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.PresenceOwedException;
import dev.switchboard.registry.RegistryException;
import dev.switchboard.registry.Target;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's behaviour on API Gateway's events: {@code $connect} records the connection under its pseudo-node
 * ({@link ApiGatewayNodes}) and announces ONLINE; {@code $disconnect} removes it and announces OFFLINE; a message is
 * parsed by the gateway's own parser and answered as the service gateway answers it — pongs, errors, SUMU's
 * send/publish to the outputs, subscriptions in the registry, and y-webrtc publishes posted to every subscriber
 * through the Management API. Replies to the sender are posts to its own connection. Never throws on a frame: a
 * frame that fails is answered with an error frame.
 *
 * <p>What the service gateway keeps in memory per connection does not exist here: topic presence, history and
 * recovery, {@code refresh}, and {@code publishRate} (each invocation starts afresh) are not available, and the
 * client is told so ({@code not_supported}).
 */
final class ServerlessGateway {
    private static final System.Logger LOG = System.getLogger(ServerlessGateway.class.getName());

    /** The status codes the integration answers; on {@code $connect} anything but 2xx refuses the connection. */
    static final int OK = 200;

    static final int UNAUTHORIZED = 401;
    static final int FAILED = 500;

    private final ServerlessSettings settings;
    private final ConnectionRegistry registry;
    private final Outputs outputs;
    private final Announcer announcer;
    private final FanOut delivery;
    private final ObjectMapper json;
    private final FrameParser parser;
    private final FrameLimit frameLimit;

    ServerlessGateway(
            ServerlessSettings settings,
            ConnectionRegistry registry,
            Outputs outputs,
            FanOut delivery,
            ObjectMapper json) {
        this.settings = settings;
        this.registry = registry;
        this.outputs = outputs;
        this.announcer = outputs.announcer();
        this.delivery = delivery;
        this.json = json;
        this.parser = new FrameParser(json, settings.maxTopicLength());
        this.frameLimit = new FrameLimit(settings.maxFrameBytes());
    }

    /** Handles one event; the status code is the integration's answer. */
    int handle(WebSocketEvent event) throws InterruptedException {
        return switch (event.type()) {
            case CONNECT -> connect(event);
            case DISCONNECT -> disconnect(event);
            case MESSAGE -> {
                message(event);
                yield OK;
            }
        };
    }

    private int connect(WebSocketEvent event) {
        if (event.userId().isEmpty()) {
            // Only a route without the authorizer gets here: refuse rather than record an anonymous connection.
            LOG.log(
                    Level.WARNING,
                    "connect refused connectionId={0}: no authorizer context (is the REQUEST authorizer on $connect?)",
                    event.connectionId());
            return UNAUTHORIZED;
        }
        var claims = event.claimsOf(json);
        var kept = new LinkedHashMap<String, String>();
        for (var name : settings.keptClaims()) {
            Optional.ofNullable(claims.get(name)).ifPresent(value -> kept.put(name, claimText(value)));
        }
        var connection = new Connection(
                event.connectionId(),
                event.userId().get(),
                ApiGatewayNodes.nodeOf(event.connectionId()),
                endpoint(event),
                event.connectedAt(),
                kept);
        try {
            registry.connections().register(connection, announcer);
        } catch (PresenceOwedException e) {
            // Recorded; the user's next change announces what is owed (docs/registry.md, "Presence").
            LOG.log(
                    Level.WARNING,
                    "presence not announced connectionId={0}: {1}",
                    event.connectionId(),
                    e.getMessage());
        } catch (RegistryException e) {
            LOG.log(Level.ERROR, "connect not recorded connectionId={0}: {1}", event.connectionId(), e.getMessage());
            return FAILED;
        }
        LOG.log(Level.INFO, "connected connectionId={0} user={1}", event.connectionId(), connection.userId());
        return OK;
    }

    private int disconnect(WebSocketEvent event) {
        try {
            registry.connections().deregister(event.connectionId(), announcer);
        } catch (PresenceOwedException e) {
            LOG.log(
                    Level.WARNING,
                    "presence not announced connectionId={0}: {1}",
                    event.connectionId(),
                    e.getMessage());
            return FAILED;
        } catch (RegistryException e) {
            // API Gateway does not call again: the items expire (CONNECTIONS_TTL), and a post to it prunes them.
            LOG.log(Level.ERROR, "disconnect not recorded connectionId={0}: {1}", event.connectionId(), e.getMessage());
            return FAILED;
        }
        LOG.log(Level.INFO, "disconnected connectionId={0}", event.connectionId());
        return OK;
    }

    private void message(WebSocketEvent event) throws InterruptedException {
        var caller = caller(event);
        try {
            if (event.binary()) {
                error(caller, ErrorCode.BINARY_NOT_SUPPORTED, null, "binary frames are not supported; send JSON text");
                return;
            }
            var body = event.body().orElse("");
            if (frameLimit.exceeds(body)) {
                error(caller, ErrorCode.FRAME_TOO_LARGE, null, frameLimit.message());
                return;
            }
            handle(caller, parser.parse(body));
        } catch (RegistryException | IllegalStateException e) {
            LOG.log(Level.WARNING, "frame failed connectionId={0}: {1}", event.connectionId(), e.getMessage());
            error(caller, ErrorCode.INTERNAL, null, "the frame could not be handled");
        }
    }

    private void handle(Caller caller, Frame frame) throws InterruptedException {
        switch (frame) {
            case Frame.Ping ping ->
                reply(
                        caller,
                        json.createObjectNode()
                                .put("type", "pong")
                                .put("statusCode", 200)
                                .put("connectionId", caller.target().connectionId()));
            case Frame.TopicPing ping -> reply(caller, json.createObjectNode().put("type", "pong"));
            case Frame.Send send -> output(caller, () -> outputs.send(caller.userId(), caller.id(), send.message()));
            case Frame.Publish publish ->
                output(caller, () -> outputs.publish(caller.userId(), caller.id(), publish.message()));
            case Frame.Subscribe subscribe -> subscribe(caller, subscribe);
            case Frame.Unsubscribe unsubscribe -> {
                if (unsubscribe.topics().size() > settings.maxTopics()) {
                    error(
                            caller,
                            ErrorCode.TOO_MANY_TOPICS,
                            null,
                            "an unsubscribe names at most " + settings.maxTopics() + " topics; none was unsubscribed");
                    return;
                }
                registry.topics().unsubscribe(caller.id(), unsubscribe.topics());
            }
            case Frame.TopicPublish publish -> {
                switch (caller.access().publish(publish.topic())) {
                    case ALLOWED -> publish(caller, publish);
                    case FORBIDDEN ->
                        error(
                                caller,
                                ErrorCode.FORBIDDEN,
                                publish.topic(),
                                "the topic rules do not allow publishing to this topic");
                    case RATE_LIMITED ->
                        error(
                                caller,
                                ErrorCode.RATE_LIMITED,
                                publish.topic(),
                                "more publishes to this topic than its rule's publishRate; this one was dropped");
                }
            }
            case Frame.HistoryQuery query -> notSupported(caller, query.topic(), "history");
            case Frame.PresenceQuery query -> notSupported(caller, query.topic(), "topic presence");
            case Frame.Refresh refresh ->
                error(
                        caller,
                        ErrorCode.NOT_SUPPORTED,
                        null,
                        "refresh is not available behind API Gateway; reconnect with the fresh token");
            case Frame.Invalid invalid -> error(caller, invalid.code(), null, invalid.message());
        }
    }

    private void subscribe(Caller caller, Frame.Subscribe subscribe) throws InterruptedException {
        var topics = new LinkedHashSet<String>();
        var refused = new LinkedHashSet<String>();
        for (var topic : subscribe.topics()) {
            (caller.access().maySubscribe(topic) ? topics : refused).add(topic);
        }
        for (var topic : refused) {
            error(caller, ErrorCode.FORBIDDEN, topic, "the topic rules do not allow subscribing to this topic");
        }
        if (topics.isEmpty()) {
            return;
        }
        // The registry is not read to count the connection's topics (a Query per subscribe): each frame is bounded.
        if (topics.size() > settings.maxTopics()) {
            error(
                    caller,
                    ErrorCode.TOO_MANY_TOPICS,
                    null,
                    "a subscribe names at most " + settings.maxTopics() + " topics; none of these was subscribed");
            return;
        }
        registry.topics().subscribe(caller.connection(), topics);
        if (subscribe.presence()) {
            notSupported(caller, null, "topic presence");
        }
        for (var topic : subscribe.since().keySet()) {
            if (topics.contains(topic)) {
                // As a topic without history answers on the service gateway: subscribed, nothing replayed.
                reply(
                        caller,
                        json.createObjectNode()
                                .put("type", "recovery")
                                .put("topic", topic)
                                .put("recovered", false));
            }
        }
    }

    /** y-webrtc's publish: the frame, plus {@code clients}, to every subscriber of the topic, the sender included. */
    private void publish(Caller caller, Frame.TopicPublish publish) throws InterruptedException {
        var subscribers = registry.topics().subscribersOf(publish.topic());
        if (subscribers.isEmpty()) {
            return;
        }
        var outcome = delivery.deliver(subscribers, publish.withClients(subscribers.size()));
        if (!outcome.complete()) {
            LOG.log(
                    Level.WARNING,
                    "publish not delivered to all topic={0} failed={1} of {2}: {3}",
                    publish.topic(),
                    outcome.failed(),
                    outcome.targets(),
                    outcome.failure().orElse(""));
        }
    }

    private void output(Caller caller, Runnable call) throws InterruptedException {
        try {
            call.run();
        } catch (OutputException e) {
            LOG.log(Level.WARNING, "output failed connectionId={0}: {1}", caller.id(), e.getMessage());
            error(caller, e.code(), null, e.getMessage());
        }
    }

    private void notSupported(Caller caller, String topic, String what) throws InterruptedException {
        error(
                caller,
                ErrorCode.NOT_SUPPORTED,
                topic,
                what + " is not available behind API Gateway (the serverless deployment); the service gateway has it");
    }

    private void error(Caller caller, ErrorCode code, String topic, String message) throws InterruptedException {
        reply(caller, code.frame(json.getNodeFactory(), topic, message));
    }

    /** A post to the sender's own connection; one that is gone is removed from the registry like any other. */
    private void reply(Caller caller, ObjectNode frame) throws InterruptedException {
        var outcome = delivery.deliver(List.of(caller.target()), frame.toString());
        if (!outcome.complete()) {
            LOG.log(
                    Level.WARNING,
                    "reply not delivered connectionId={0}: {1}",
                    caller.id(),
                    outcome.failure().orElse(""));
        }
    }

    /**
     * Who sent a message: from the authorizer's context, which API Gateway passes on every route of the connection;
     * without one (an API configured otherwise), from the connection's record.
     */
    private Caller caller(WebSocketEvent event) {
        var endpoint = endpoint(event);
        if (event.userId().isPresent()) {
            return new Caller(event, event.userId().get(), event.claimsOf(json), endpoint);
        }
        var record = registry.connections().connection(event.connectionId());
        return new Caller(
                event,
                record.map(Connection::userId).orElse(""),
                record.<Map<String, Object>>map(r -> new LinkedHashMap<>(r.claims()))
                        .orElse(Map.of()),
                endpoint);
    }

    private String endpoint(WebSocketEvent event) {
        return settings.apigwEndpoint()
                .map(Object::toString)
                .orElseGet(() -> "https://" + event.domainName() + "/" + event.stage());
    }

    private String claimText(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** The sender of a message, its topic access made once per event. */
    private final class Caller {
        private final WebSocketEvent event;
        private final String userId;
        private final Map<String, Object> claims;
        private final String endpoint;
        private TopicAccess access;

        Caller(WebSocketEvent event, String userId, Map<String, Object> claims, String endpoint) {
            this.event = event;
            this.userId = userId;
            this.claims = claims;
            this.endpoint = endpoint;
        }

        String id() {
            return event.connectionId();
        }

        String userId() {
            return userId;
        }

        TopicAccess access() {
            if (access == null) {
                access = settings.topicRules().forToken(userId, claims);
            }
            return access;
        }

        Target target() {
            return new Target(id(), ApiGatewayNodes.nodeOf(id()), endpoint, userId);
        }

        /** As its subscriptions record it (they keep user, node and endpoint, no claims). */
        Connection connection() {
            return new Connection(id(), userId, ApiGatewayNodes.nodeOf(id()), endpoint, event.connectedAt(), Map.of());
        }
    }
}
