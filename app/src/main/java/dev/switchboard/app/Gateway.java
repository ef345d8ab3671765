package dev.switchboard.app;

import dev.switchboard.app.access.Admission;
import dev.switchboard.app.access.RateLimit;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.protocol.CloseCause;
import dev.switchboard.app.protocol.CloseCode;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.app.topics.TopicCounts;
import dev.switchboard.app.ws.SessionHandler;
import dev.switchboard.authorizer.Principal;
import dev.switchboard.registry.Connection;
import dev.switchboard.registry.PresenceOwedException;
import io.helidon.websocket.WsSession;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the gateway does with a connection — the one owner of its life: opens it (the hub first, then the registry
 * and presence), hands its frames to {@link Frames}, forgets it when it ends however it ends ({@link
 * ClientConnection.Ending}: hub at once, registry and presence off the caller's thread, retried), and drains the node.
 * What it records beyond this node goes through {@link Records} and {@link TopicCounts}, so that it can be tried
 * without sockets or DynamoDB (GatewayTest). Thread-safe: each connection's frames arrive on that connection's own
 * virtual thread.
 */
public final class Gateway implements ClientConnection.Ending, SessionHandler {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
    private static final SecureRandom IDS = new SecureRandom();

    /** Registry and output calls in flight at once: about the SDK's HTTP connection pool (50 by default). */
    static final int AWS_CALL_THREADS = 64;

    /**
     * What the gateway records of its connections beyond this node, and the presence it owes: the registry ({@link
     * RegistryRecords}). Each call may block; the gateway makes them off the client's thread but for {@link
     * #register}, which an open waits for.
     */
    public interface Records {
        /**
         * Records a new connection; its user's first announces ONLINE.
         *
         * @throws PresenceOwedException when it is recorded but its ONLINE could not be published
         * @throws RuntimeException when it is not recorded
         */
        void register(Connection connection);

        /** Forgets a connection, its subscriptions and its presence (OFFLINE on its user's last). */
        void deregister(Connection connection);

        /**
         * Forgets these connections, with their topics, together (a drain): each user's in one presence update.
         *
         * @return the ids of those that could not be forgotten together
         */
        Collection<String> deregisterAll(Map<Connection, List<String>> connections, int parallelism);

        /** Records an open connection again, with its subscriptions and presence memberships (the lease was lost). */
        void registerAgain(ClientConnection connection);

        /** Publishes the presence {@code userId} is owed. */
        void announceOwed(String userId);
    }

    /** What handles a connection's frames: {@link ClientFrames}. Never throws. */
    public interface Frames {
        void onText(ClientConnection connection, String text);

        /** A binary frame: neither dialect has them. */
        void onBinary(ClientConnection connection);

        /** A frame larger than the limit, refused unread. */
        void onTooLarge(ClientConnection connection);
    }

    private final GatewaySettings settings;
    private final String managementUrl;
    private final Records records;
    private final LocalConnections hub;
    private final GatewayMetrics metrics;
    private final TopicCounts counts;
    private final Clock clock;
    private final FrameLimit frameLimit;
    private final Frames frames;
    private final AwsCalls aws;
    private final RegistryWork work;
    private final ClientConnection.Terms terms;
    private final Admission admission;
    private final Set<String> drained = ConcurrentHashMap.newKeySet();
    private volatile boolean abandoned;
    private volatile boolean draining;

    /**
     * @param managementUrl where this node's Management API is reached: advertised in each connection's record
     * @param aws the threads registry work runs on (shared with {@code frames}); {@link #shutdown} stops them
     */
    public Gateway(
            GatewaySettings settings,
            URI managementUrl,
            Records records,
            LocalConnections hub,
            GatewayMetrics metrics,
            TopicCounts counts,
            Frames frames,
            AwsCalls aws,
            Clock clock,
            ScheduledExecutorService timer) {
        this.settings = settings;
        this.managementUrl = managementUrl.toString();
        this.records = records;
        this.hub = hub;
        this.metrics = metrics;
        this.counts = counts;
        this.frames = frames;
        this.aws = aws;
        this.clock = clock;
        this.frameLimit = new FrameLimit(settings.maxFrameBytes());
        this.work = new RegistryWork(aws, timer);
        this.admission = new Admission(settings.admission());
        this.terms = new ClientConnection.Terms(settings.outboundMaxBytes(), settings.closeGrace(), timer, this);
    }

    public GatewaySettings settings() {
        return settings;
    }

    @Override
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Who may connect: the per-address and per-user limits, and where the source address comes from. */
    @Override
    public Admission admission() {
        return admission;
    }

    public LocalConnections hub() {
        return hub;
    }

    @Override
    public int connectionsOf(String userId) {
        return hub.connectionsOf(userId).size();
    }

    /** The frame size limit, in bytes: what clients may send and backends may post. */
    @Override
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
            connection.close(CloseCause.DRAIN); // queues the close frame; never waits for the client
        }
        var together = new LinkedHashMap<Connection, List<String>>();
        var alone = new ArrayList<Connection>();
        for (var connection : connections) {
            // A presence member goes alone: its deregistration leaves its topics' presence (and tells the members).
            if (work.busy(key(connection)) || !connection.memberTopicSet().isEmpty()) {
                alone.add(connection.record());
            } else {
                together.put(connection.record(), connection.topicList());
            }
        }
        try {
            var stayed = Set.copyOf(records.deregisterAll(together, AWS_CALL_THREADS));
            together.keySet().stream().filter(c -> stayed.contains(c.id())).forEach(alone::add);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "drain: deregistering together failed, one by one instead: {0}", e.getMessage());
            alone.addAll(together.keySet());
        }
        alone.forEach(this::forget);
        for (var topic : topics) {
            work.start("topic:" + topic, "topic count", () -> counts.countChanged(topic));
        }
        return work.await(remaining(deadline));
    }

    /** The key of a connection's registry work, which runs in the order it was asked for. */
    private static String key(ClientConnection connection) {
        return key(connection.id());
    }

    private static String key(String connectionId) {
        return "connection:" + connectionId;
    }

    /** Deregisters the connection after any registry work already asked for it, retried until it succeeds. */
    private void forget(Connection record) {
        work.start(key(record.id()), "deregister", () -> records.deregister(record));
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
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
                    records.registerAgain(connection);
                }
            });
        }
        for (var topic : hub.topics()) {
            work.start("topic:" + topic, "topic count", () -> counts.recordCount(topic));
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
    @Override
    public Optional<ClientConnection> open(WsSession session, Principal principal, String sourceIp, String userAgent) {
        var claims = new LinkedHashMap<String, String>();
        for (var claim : settings.keptClaims()) {
            var value = principal.claims().get(claim);
            if (value != null) {
                claims.put(claim, String.valueOf(value));
            }
        }
        var record =
                new Connection(newId(), principal.userId(), settings.nodeId(), managementUrl, clock.instant(), claims);
        var connection = new ClientConnection(
                session,
                record,
                sourceIp,
                userAgent,
                new RateLimit(settings.ratePerSecond(), settings.rateBurst()),
                settings.topicRules().forToken(principal.userId(), principal.claims()),
                terms);
        hub.add(connection);
        try {
            // In the connection's order of registry work: its deregistration, should it end at once, comes after.
            join(work.runOnce(key(connection), () -> records.register(record)));
        } catch (PresenceOwedException e) {
            // Recorded; only its ONLINE could not be published: it stays owed, and is offered again until it is.
            LOG.log(Level.WARNING, "presence owed userId={0}: {1}", record.userId(), e.getMessage());
            work.start("presence:" + record.userId(), "announce presence", () -> records.announceOwed(record.userId()));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "connection not registered connectionId=" + record.id(), e);
            connection.abort(CloseCause.REGISTRY_FAILURE);
            return Optional.empty();
        }
        if (draining) { // the drain may have missed this registration: undo it
            connection.close(CloseCause.DRAIN);
            forget(record);
        }
        connection.expiresAt(closeAt(settings, principal));
        connection.reading();
        LOG.log(
                Level.INFO,
                "connection opened connectionId={0} userId={1} sourceIp={2}",
                record.id(),
                record.userId(),
                sourceIp);
        return Optional.of(connection);
    }

    /**
     * When a connection on this token is closed ({@link CloseCode#TOKEN_EXPIRED}): its {@code exp} plus the clock
     * skew, as the handshake's own check; never while expiry is not checked ({@code auth.verify.expiration}).
     */
    static Optional<java.time.Instant> closeAt(GatewaySettings settings, Principal principal) {
        return settings.auth().verifyExpiration()
                ? principal.expiresAt().map(exp -> exp.plus(settings.auth().clockSkew()))
                : Optional.empty();
    }

    /** Handles one text frame. Never throws; a frame of a closed connection reaches nothing. */
    @Override
    public void onText(ClientConnection connection, String text) {
        frames.onText(connection, text);
    }

    /** A binary frame: neither dialect has them. Counts towards the abuse limit. */
    @Override
    public void onBinary(ClientConnection connection) {
        frames.onBinary(connection);
    }

    /** A frame larger than the limit, refused unread (its fragments were not kept). Counts towards the abuse limit. */
    @Override
    public void onTooLarge(ClientConnection connection) {
        frames.onTooLarge(connection);
    }

    /**
     * A connection ended (closed by us or the peer, or its socket gone): the hub forgets it at once, the registry
     * and presence on the AWS threads, retried until done. Never blocks, never throws.
     */
    @Override
    public void ended(ClientConnection connection, int status, CloseCause cause) {
        var left = hub.remove(connection);
        if (abandoned) {
            return;
        }
        metrics.closed(cause);
        if (!drained.contains(connection.id())) { // else the drain forgets it, with the others
            work.start(key(connection), "deregister", () -> {
                records.deregister(connection.record());
                left.forEach(counts::countChanged);
            });
        }
        LOG.log(
                Level.INFO,
                "connection closed connectionId={0} userId={1} code={2} cause={3}",
                connection.id(),
                connection.userId(),
                String.valueOf(status),
                cause.label());
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
