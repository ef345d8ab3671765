package dev.switchboard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.hub.RateLimit;
import dev.switchboard.app.management.GatewayMetrics;
import dev.switchboard.app.outputs.OutputException;
import dev.switchboard.app.outputs.Outputs;
import dev.switchboard.app.protocol.CloseCode;
import dev.switchboard.app.protocol.ErrorCode;
import dev.switchboard.app.protocol.Frame;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.app.protocol.FrameParser;
import dev.switchboard.app.topics.TopicRelay;
import dev.switchboard.authorizer.Principal;
import dev.switchboard.registry.Announcer;
import dev.switchboard.registry.Connection;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.PresenceOwedException;
import dev.switchboard.registry.RegistryException;
import io.helidon.websocket.WsSession;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the gateway does with a connection — the one owner of its life: opens it (the hub first, then the registry
 * and presence), handles each frame of both dialects, relays topic publishes, and forgets it when it ends however it
 * ends ({@link ClientConnection.Ending}: hub at once, registry and presence off the caller's thread, retried).
 * Thread-safe: each connection's frames arrive on that connection's own virtual thread.
 */
public final class Gateway implements ClientConnection.Ending {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
    private static final SecureRandom IDS = new SecureRandom();

    /** Registry and output calls in flight at once: about the SDK's HTTP connection pool (50 by default). */
    private static final int AWS_CALL_THREADS = 64;

    private final GatewaySettings settings;
    private final ConnectionRegistry registry;
    private final LocalConnections hub;
    private final Outputs outputs;
    private final GatewayMetrics metrics;
    private final ObjectMapper json;
    private final FrameParser parser;
    private final TopicRelay relay;
    private final Clock clock;
    private final FrameLimit frameLimit;
    private final AwsCalls aws = new AwsCalls(AWS_CALL_THREADS);
    private final RegistryWork work;
    private final Announcer announcer;
    private final ClientConnection.Terms terms;
    private final Set<String> drained = ConcurrentHashMap.newKeySet();
    private volatile boolean abandoned;
    private volatile boolean draining;

    public Gateway(
            GatewaySettings settings,
            ConnectionRegistry registry,
            LocalConnections hub,
            Outputs outputs,
            GatewayMetrics metrics,
            ObjectMapper json,
            TopicRelay topics,
            Clock clock,
            ScheduledExecutorService timer) {
        this.settings = settings;
        this.relay = topics;
        this.registry = registry;
        this.hub = hub;
        this.outputs = outputs;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.frameLimit = new FrameLimit(settings.maxFrameBytes());
        this.parser = new FrameParser(json, settings.maxTopicLength());
        this.work = new RegistryWork(aws, timer);
        this.announcer = outputs.announcer();
        this.terms = new ClientConnection.Terms(settings.outboundMaxBytes(), settings.closeGrace(), timer, this);
    }

    public GatewaySettings settings() {
        return settings;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public LocalConnections hub() {
        return hub;
    }

    /** The frame size limit, in bytes: what clients may send and backends may post. */
    public FrameLimit frameLimit() {
        return frameLimit;
    }

    /**
     * Drains the node: every connection closed (1001) at once, then all of them forgotten together — each user's
     * connections in one presence update and its OFFLINE announced, the items deleted in batches — rather than one
     * by one as they end. A connection whose registry work is still under way (its registration, on a slow
     * DynamoDB) is forgotten on its own after that work, and so is any whose registration ends after the drain
     * began; any that could not be forgotten together, one by one with retries. Waits up to {@code timeout};
     * whether every connection is forgotten and every owed presence announced.
     */
    public boolean drain(Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        draining = true;
        var connections = List.copyOf(hub.all());
        connections.forEach(c -> drained.add(c.id()));
        var topics = List.copyOf(hub.topics());
        for (var connection : connections) {
            connection.close(CloseCode.GOING_AWAY, "drain"); // queues the close frame; never waits for the client
        }
        var together = new LinkedHashMap<Connection, List<String>>();
        var alone = new ArrayList<String>();
        for (var connection : connections) {
            if (work.busy(key(connection))) {
                alone.add(connection.id());
            } else {
                together.put(connection.record(), connection.topicList());
            }
        }
        try {
            alone.addAll(registry.deregisterAll(together, announcer, AWS_CALL_THREADS));
        } catch (RegistryException e) {
            LOG.log(Level.WARNING, "drain: deregistering together failed, one by one instead: {0}", e.getMessage());
            together.keySet().forEach(c -> alone.add(c.id()));
        }
        alone.forEach(this::forget);
        for (var topic : topics) {
            work.start("topic:" + topic, "topic count", () -> relay.countChanged(topic));
        }
        return work.await(remaining(deadline));
    }

    private static String key(ClientConnection connection) {
        return "connection:" + connection.id();
    }

    /** Deregisters the connection after any registry work already asked for it, retried until it succeeds. */
    private void forget(String connectionId) {
        work.start("connection:" + connectionId, "deregister", () -> registry.deregister(connectionId, announcer));
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** The presence announcer: what the registry calls to publish presence changes. */
    public Announcer announcer() {
        return announcer;
    }

    /**
     * Registers every live connection of this node again, with its subscriptions and this node's topic counts: after
     * the node lost its lease (it was swept, or its record vanished). Off the caller's thread, retried; the presence
     * a sweep took away is set right (ONLINE announced again).
     */
    public void registerAgain() {
        for (var connection : hub.all()) {
            work.start(key(connection), "register again", () -> {
                if (connection.isOpen()) {
                    registry.register(connection.record(), announcer);
                    registry.subscribe(connection.record(), connection.topicList());
                }
            });
        }
        for (var topic : hub.topics()) {
            work.start("topic:" + topic, "topic count", () -> relay.countChanged(topic));
        }
    }

    /** From now on ended connections are not forgotten in the registry: as a killed node, for tests. */
    void abandon() {
        abandoned = true;
    }

    /** Stops the AWS call threads once their queued calls have run, waiting up to {@code timeout}. */
    void shutdown(Duration timeout) {
        aws.shutdown(timeout);
    }

    /**
     * Opens a new connection: the hub knows it first, so a Management API POST that finds it in the registry also
     * finds it here; then the registry records it and ONLINE is reported on the user's first. When the registry
     * cannot record it, it is closed (1011) and forgotten, and this answers empty.
     */
    public Optional<ClientConnection> open(WsSession session, Principal principal, String sourceIp, String userAgent) {
        var claims = new LinkedHashMap<String, String>();
        for (var claim : settings.keptClaims()) {
            var value = principal.claims().get(claim);
            if (value != null) {
                claims.put(claim, String.valueOf(value));
            }
        }
        var record = new Connection(
                newId(),
                principal.userId(),
                settings.nodeId(),
                settings.managementUrl().toString(),
                clock.instant(),
                claims);
        var connection = new ClientConnection(
                session,
                record,
                sourceIp,
                userAgent,
                new RateLimit(settings.ratePerSecond(), settings.rateBurst()),
                terms);
        hub.add(connection);
        try {
            // In the connection's order of registry work: its deregistration, should it end at once, comes after.
            join(work.runOnce(key(connection), () -> registry.register(record, announcer)));
        } catch (PresenceOwedException e) {
            // Recorded; only its ONLINE could not be published: it stays owed, and is offered again until it is.
            LOG.log(Level.WARNING, "presence owed userId={0}: {1}", record.userId(), e.getMessage());
            work.start(
                    "presence:" + record.userId(),
                    "announce presence",
                    () -> registry.announceOwed(record.userId(), announcer));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "connection not registered connectionId=" + record.id(), e);
            connection.abort(CloseCode.INTERNAL_ERROR, "registry_failure");
            return Optional.empty();
        }
        if (draining) { // the drain may have missed this registration: undo it
            connection.close(CloseCode.GOING_AWAY, "drain");
            forget(record.id());
        }
        connection.reading();
        LOG.log(
                Level.INFO,
                "connection opened connectionId={0} userId={1} sourceIp={2}",
                record.id(),
                record.userId(),
                sourceIp);
        return Optional.of(connection);
    }

    /** Handles one text frame. Never throws; a frame of a closed connection reaches nothing. */
    public void onText(ClientConnection connection, String text) {
        if (!connection.isOpen()) {
            return;
        }
        try {
            connection.touch();
            if (!connection.rate().tryAcquire()) {
                rateLimited(connection);
                return;
            }
            if (frameLimit.exceeds(text)) {
                refuse(connection, "too_large", ErrorCode.FRAME_TOO_LARGE, frameLimit.message());
                return;
            }
            connection.rate().accepted();
            handle(connection, parser.parse(text));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "frame failed connectionId=" + connection.id(), e);
            error(connection, ErrorCode.INTERNAL, "the frame could not be handled");
        }
    }

    /** A binary frame: neither dialect has them. Counts towards the abuse limit. */
    public void onBinary(ClientConnection connection) {
        if (connection.isOpen() && admitted(connection)) {
            refuse(
                    connection,
                    "binary",
                    ErrorCode.BINARY_NOT_SUPPORTED,
                    "binary frames are not supported; send JSON text frames");
        }
    }

    /** A frame larger than the limit, refused unread (its fragments were not kept). Counts towards the abuse limit. */
    public void onTooLarge(ClientConnection connection) {
        if (connection.isOpen() && admitted(connection)) {
            refuse(connection, "too_large", ErrorCode.FRAME_TOO_LARGE, frameLimit.message());
        }
    }

    /**
     * A connection ended (closed by us or the peer, or its socket gone): the hub forgets it at once, the registry
     * and presence on the AWS threads, retried until done. Never blocks, never throws.
     */
    @Override
    public void ended(ClientConnection connection, int status, String cause) {
        var left = hub.remove(connection);
        if (abandoned) {
            return;
        }
        metrics.closed(cause);
        if (CloseCode.TRY_AGAIN_LATER.status() == status) {
            metrics.slowConsumerClosed(cause);
        }
        if (!drained.contains(connection.id())) { // else the drain forgets it, with the others
            work.start(key(connection), "deregister", () -> {
                registry.deregister(connection.id(), announcer);
                left.forEach(relay::countChanged);
            });
        }
        LOG.log(
                Level.INFO,
                "connection closed connectionId={0} userId={1} code={2} cause={3}",
                connection.id(),
                connection.userId(),
                String.valueOf(status),
                cause);
    }

    private void handle(ClientConnection connection, Frame frame) {
        switch (frame) {
            case Frame.Ping ping -> {
                metrics.frameIn("ping");
                reply(
                        connection,
                        "pong",
                        json.createObjectNode()
                                .put("type", "pong")
                                .put("statusCode", 200)
                                .put("connectionId", connection.id()));
            }
            case Frame.Send send -> {
                metrics.frameIn("send");
                output(connection, "sqs", () -> outputs.send(connection.userId(), connection.id(), send.message()));
            }
            case Frame.Publish publish -> {
                metrics.frameIn("publish");
                output(
                        connection,
                        "sns",
                        () -> outputs.publish(connection.userId(), connection.id(), publish.message()));
            }
            case Frame.Subscribe subscribe -> subscribe(connection, subscribe.topics());
            case Frame.Unsubscribe unsubscribe -> {
                metrics.frameIn("unsubscribe");
                if (unsubscribe.topics().size() > settings.maxTopics()) {
                    error(
                            connection,
                            ErrorCode.TOO_MANY_TOPICS,
                            "an unsubscribe names at most " + settings.maxTopics() + " topics; none was unsubscribed");
                    return;
                }
                var removed = hub.unsubscribe(connection, unsubscribe.topics());
                try {
                    aws.run(() -> {
                        registry.unsubscribe(connection.id(), unsubscribe.topics());
                        removed.forEach(relay::countChanged);
                    });
                } catch (RegistryException e) {
                    LOG.log(
                            Level.WARNING,
                            "unsubscribe not recorded connectionId={0}: {1}",
                            connection.id(),
                            e.getMessage());
                }
            }
            case Frame.TopicPublish publish -> {
                metrics.frameIn("topic_publish");
                relay.publish(publish.topic(), clients -> withClients(publish, clients));
            }
            case Frame.TopicPing ping -> {
                metrics.frameIn("topic_ping");
                reply(connection, "pong", json.createObjectNode().put("type", "pong"));
            }
            case Frame.Invalid invalid -> {
                metrics.frameIn("invalid");
                error(connection, invalid.code(), invalid.message());
            }
        }
    }

    private void subscribe(ClientConnection connection, List<String> topics) {
        metrics.frameIn("subscribe");
        var fresh = topics.stream()
                .distinct()
                .filter(t -> !connection.isSubscribedTo(t))
                .count();
        if (connection.topicCount() + fresh > settings.maxTopics()) {
            error(
                    connection,
                    ErrorCode.TOO_MANY_TOPICS,
                    "a connection may subscribe to at most " + settings.maxTopics()
                            + " topics; none of these was subscribed");
            return;
        }
        var added = hub.subscribe(connection, topics);
        if (added.isEmpty()) {
            return;
        }
        try {
            aws.run(() -> {
                registry.subscribe(connection.record(), added);
                added.forEach(relay::countChanged);
            });
        } catch (RegistryException e) {
            LOG.log(Level.WARNING, "subscription not recorded connectionId={0}: {1}", connection.id(), e.getMessage());
            error(connection, ErrorCode.INTERNAL, "subscribed on this node, but not recorded in the registry");
        }
    }

    /**
     * y-webrtc's publish frame as relayed: the sender's own text with {@code clients} spliced in before its closing
     * brace, so numbers and everything else arrive exactly as sent, and nothing is serialized per publish.
     */
    static String withClients(Frame.TopicPublish publish, int clients) {
        if (publish.frame().has("clients")) {
            // The sender set its own: replace it, as y-webrtc's server does.
            return publish.frame().deepCopy().put("clients", clients).toString();
        }
        var text = publish.text();
        var end = text.lastIndexOf('}');
        return text.substring(0, end) + ",\"clients\":" + clients + text.substring(end);
    }

    private interface OutputCall {
        void run() throws OutputException;
    }

    private void output(ClientConnection connection, String output, OutputCall call) {
        try {
            aws.call(() -> {
                call.run();
                return null;
            });
        } catch (OutputException e) {
            metrics.outputFailure(output);
            LOG.log(
                    Level.WARNING,
                    "output failed connectionId={0} output={1}: {2}",
                    connection.id(),
                    output,
                    e.getMessage());
            error(
                    connection,
                    e.configured() ? ErrorCode.OUTPUT_FAILED : ErrorCode.OUTPUT_NOT_CONFIGURED,
                    e.getMessage());
        }
    }

    /** Takes a rate token for a refused frame too: refusing costs an error frame, and is rate-limited the same. */
    private boolean admitted(ClientConnection connection) {
        if (connection.rate().tryAcquire()) {
            return true;
        }
        rateLimited(connection);
        return false;
    }

    /** Refuses a frame (too large, binary): counted as refused in a row, told, and closed past the abuse limit. */
    private void refuse(ClientConnection connection, String kind, ErrorCode code, String message) {
        metrics.frameIn(kind);
        connection.rate().refused();
        if (!abusive(connection)) {
            error(connection, code, message);
        }
    }

    /** Past the abuse limit (refusals in a row): closed with 1008. */
    private boolean abusive(ClientConnection connection) {
        var refused = connection.rate().refusedInARow();
        if (refused < settings.abuseThreshold()) {
            return false;
        }
        if (connection.isOpen()) {
            LOG.log(
                    Level.WARNING,
                    "closing abusive connection connectionId={0} refusedInARow={1}",
                    connection.id(),
                    refused);
            connection.close(CloseCode.POLICY_VIOLATION, "abuse");
        }
        return true;
    }

    private void rateLimited(ClientConnection connection) {
        var refused = connection.rate().refusedInARow();
        if (abusive(connection)) {
            return;
        }
        if (refused == 1 || refused % 100 == 0) {
            error(
                    connection,
                    ErrorCode.RATE_LIMITED,
                    "more than " + (int) settings.ratePerSecond() + " frames a second; frames are being dropped");
        } else {
            metrics.error(ErrorCode.RATE_LIMITED);
        }
    }

    private void error(ClientConnection connection, ErrorCode code, String message) {
        metrics.error(code);
        reply(
                connection,
                "error",
                json.createObjectNode()
                        .put("type", "error")
                        .put("code", code.wireName())
                        .put("message", message));
    }

    private void reply(ClientConnection connection, String kind, ObjectNode frame) {
        if (connection.send(frame.toString())) {
            metrics.frameOut(kind);
        }
    }

    /** Waits for registry work; what it threw, unwrapped. */
    private static void join(CompletableFuture<Void> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static String newId() {
        var bytes = new byte[16];
        IDS.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
