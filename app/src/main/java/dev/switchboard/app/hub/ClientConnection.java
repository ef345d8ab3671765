package dev.switchboard.app.hub;

import dev.switchboard.app.access.RateLimit;
import dev.switchboard.app.access.TopicAccess;
import dev.switchboard.app.protocol.CloseCause;
import dev.switchboard.app.protocol.CloseCode;
import dev.switchboard.registry.Connection;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client's WebSocket on this node: who it is, where it came from, its topics and rate, its outbound queue, and
 * the one guarded end of its life. Every send queues and returns at once ({@link Outbound}); nothing waits on the
 * client's socket but the connection's own writer. A connection ends once, however it ends — closed by us, by the
 * peer, or its socket gone — and its {@link Ending} is told exactly once. Thread-safe.
 */
public final class ClientConnection {
    /** Told once when a connection ends: the gateway forgets it (hub, registry, presence). Must not block. */
    public interface Ending {
        void ended(ClientConnection connection, int status, CloseCause cause);
    }

    /**
     * What every connection of a node shares.
     *
     * @param maxOutboundBytes the outbound bound; a connection past it is closed as a slow consumer
     * @param closeGrace how long a closed connection's socket may linger for the close handshake before it is cut
     * @param timer where the cut is scheduled
     */
    public record Terms(long maxOutboundBytes, Duration closeGrace, ScheduledExecutorService timer, Ending ending) {}

    /** The status of a close the peer did not send (RFC 6455 §7.1.5): its socket went away. */
    public static final int ABNORMAL = 1006;

    private enum State {
        OPEN,
        CLOSING,
        CLOSED
    }

    private final WsSession session;
    private final Connection record;
    private final String sourceIp;
    private final String userAgent;
    private final RateLimit rate;
    private volatile TopicAccess access;
    private final AtomicReference<ScheduledFuture<?>> expiry = new AtomicReference<>();
    /** Topics being recovered: their live messages wait here until what was missed is sent. */
    private final Map<String, List<OutFrame>> catchingUp = new ConcurrentHashMap<>();
    /** Per recovered topic, the offset recovery sent up to: a live message at or below it is a duplicate. */
    private final Map<String, Long> seams = new ConcurrentHashMap<>();
    /** Bytes of live messages waiting for recoveries (guarded by {@code catchingUp}). */
    private long waitingBytes;

    private final Terms terms;
    private final Outbound outbound;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final Set<String> memberTopics = ConcurrentHashMap.newKeySet();
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Instant lastActiveAt;
    private volatile long lastPongNanos = System.nanoTime();
    private volatile boolean reading;

    public ClientConnection(
            WsSession session,
            Connection record,
            String sourceIp,
            String userAgent,
            RateLimit rate,
            TopicAccess access,
            Terms terms) {
        this.session = session;
        this.access = access;
        this.record = record;
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.rate = rate;
        this.terms = terms;
        this.lastActiveAt = record.connectedAt();
        this.outbound = new Outbound(terms.maxOutboundBytes(), this::write, this::writeFailed);
    }

    public String id() {
        return record.id();
    }

    public String userId() {
        return record.userId();
    }

    /** The record the registry keeps of it. */
    public Connection record() {
        return record;
    }

    public String sourceIp() {
        return sourceIp;
    }

    public String userAgent() {
        return userAgent;
    }

    public RateLimit rate() {
        return rate;
    }

    /** Which topics it may subscribe and publish to: the topic rules with its token's claims in place. */
    public TopicAccess access() {
        return access;
    }

    /**
     * Closes it ({@link CloseCode#TOKEN_EXPIRED}) at {@code closeAt}, in place of any close planned before; empty:
     * never for its token. One timer task per connection, so no frame pays for the check.
     */
    public void expiresAt(Optional<Instant> closeAt) {
        var next = closeAt.map(at -> (ScheduledFuture<?>) terms.timer()
                        .schedule(
                                () -> close(CloseCause.TOKEN_EXPIRED),
                                Math.max(0, Duration.between(Instant.now(), at).toMillis()),
                                TimeUnit.MILLISECONDS))
                .orElse(null);
        var previous = expiry.getAndSet(next);
        if (previous != null) {
            previous.cancel(false);
        }
        if (!isOpen() && next != null) {
            next.cancel(false); // ended meanwhile: nothing may keep it
        }
    }

    /** A fresh token's access: what its claims allow from now on (topics subscribed before stay). */
    public void renew(TopicAccess fresh) {
        this.access = fresh;
    }

    /** The topics it is subscribed to on this node; the hub keeps this in step with its topic index. */
    Set<String> topics() {
        return topics;
    }

    /** The topics whose presence it is a member of (a subset of its topics); the hub keeps it in step. */
    Set<String> memberTopics() {
        return memberTopics;
    }

    /** A copy of the topics whose presence it is a member of. */
    public Set<String> memberTopicSet() {
        return Set.copyOf(memberTopics);
    }

    /** A copy of the topics it is subscribed to on this node. */
    public List<String> topicList() {
        return List.copyOf(topics);
    }

    public boolean isSubscribedTo(String topic) {
        return topics.contains(topic);
    }

    public int topicCount() {
        return topics.size();
    }

    public Instant lastActiveAt() {
        return lastActiveAt;
    }

    public void touch() {
        lastActiveAt = Instant.now();
    }

    public void ponged() {
        lastPongNanos = System.nanoTime();
    }

    /**
     * Its open is done and its frames are read from now on. Until then its pongs cannot be read (the open, waiting
     * on the registry, holds its reader), so liveness counts only from here.
     */
    public void reading() {
        lastPongNanos = System.nanoTime();
        reading = true;
    }

    /** Since its last pong, or since it began reading; zero while its open is under way. */
    public long nanosSinceLastPong() {
        return reading ? System.nanoTime() - lastPongNanos : 0;
    }

    /** Open: not closed by anyone. From the moment a close is decided, its frames reach nothing. */
    public boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /**
     * Queues one text frame. A frame past the outbound bound closes the connection as a slow consumer ({@link
     * CloseCode#TRY_AGAIN_LATER}) and is answered {@link SendResult#FULL}.
     */
    public SendResult send(OutFrame frame) {
        if (!isOpen()) {
            return SendResult.CLOSED;
        }
        var offer = outbound.offer(new Outbound.Text(frame));
        if (offer == SendResult.FULL) {
            abort(CloseCause.QUEUE_FULL);
        }
        return offer;
    }

    /**
     * Queues a frame of a topic: as {@link #send(OutFrame)}, except while the topic is being recovered (then it waits
     * for {@link #recovered}), and that a message the recovery already sent is not sent again.
     */
    public SendResult sendOnTopic(String topic, OutFrame frame) {
        if (catchingUp.isEmpty() && seams.isEmpty()) {
            return send(frame); // no recovery on this connection: the common path, no lock
        }
        synchronized (catchingUp) {
            var waiting = catchingUp.get(topic);
            if (waiting != null) {
                // Waiting counts against the outbound bound as queued frames do: a recovery that falls that far
                // behind closes the connection as a slow consumer.
                waitingBytes += frame.bytes();
                if (waitingBytes > terms.maxOutboundBytes()) {
                    abort(CloseCause.QUEUE_FULL);
                    return SendResult.FULL;
                }
                waiting.add(frame);
                return SendResult.QUEUED;
            }
            var seam = seams.get(topic);
            if (seam != null && frame.offset() != OutFrame.NONE && frame.offset() <= seam) {
                return SendResult.QUEUED; // recovery sent it already
            }
        }
        return send(frame);
    }

    /**
     * The topic is about to be recovered: from now its live messages wait (call before it is subscribed here, so
     * none slips past the recovery).
     */
    public void recovering(String topic) {
        synchronized (catchingUp) {
            catchingUp.put(topic, new java.util.ArrayList<>());
        }
    }

    /**
     * What was missed of the topic, up to {@code upTo}, is queued: the live messages that waited go out now, those at
     * or below {@code upTo} dropped (the recovery had them), and from now on too.
     */
    public void recovered(String topic, long upTo) {
        synchronized (catchingUp) {
            seams.put(topic, upTo);
            var waited = catchingUp.remove(topic);
            if (waited != null) {
                for (var frame : waited) {
                    waitingBytes -= frame.bytes();
                    if (frame.offset() == OutFrame.NONE || frame.offset() > upTo) {
                        send(frame);
                    }
                }
            }
        }
    }

    /** It no longer subscribes to the topic: forget its recovery. */
    public void forgetRecovery(String topic) {
        synchronized (catchingUp) {
            var waited = catchingUp.remove(topic);
            if (waited != null) {
                waited.forEach(frame -> waitingBytes -= frame.bytes());
            }
            seams.remove(topic);
        }
    }

    /** Queues one text frame; whether it was queued. */
    public boolean send(String text) {
        return send(OutFrame.of(text)) == SendResult.QUEUED;
    }

    /** Queues a WebSocket ping (liveness), once it is reading: a pong it cannot read would wait in the kernel. */
    public void ping() {
        if (isOpen() && reading) {
            outbound.offer(new Outbound.Ping());
        }
    }

    /** Queues the pong a client's ping asks for (RFC 6455 §5.5.2), with its payload. */
    public void pong(BufferData payload) {
        if (isOpen()) {
            var bytes = new byte[payload.available()];
            payload.read(bytes);
            outbound.offer(new Outbound.Pong(bytes));
        }
    }

    /** How long its writer has been blocked in one write; zero when it is not writing. */
    public long stalledNanos(long now) {
        return outbound.stalledNanos(now);
    }

    /** Bytes queued for it and not yet written. */
    public long queuedBytes() {
        return outbound.queuedBytes();
    }

    /**
     * Closes with the cause's code, after what is already queued; the socket is cut if the close handshake has not
     * ended it within the grace. Idempotent: only the first close (or end) counts.
     *
     * @param cause why: its code is sent, its label is the close's reason and what logs and metrics say
     */
    public void close(CloseCause cause) {
        var code = cause.code();
        if (state.compareAndSet(State.OPEN, State.CLOSING)) {
            end(code.status(), cause);
            outbound.offer(new Outbound.Close(code.status(), cause.label()));
            outbound.close();
            var unused =
                    terms.timer().schedule(this::terminate, terms.closeGrace().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Closes at once, dropping what is queued and cutting the socket: for a client that cannot keep up. */
    public void abort(CloseCause cause) {
        var code = cause.code();
        if (state.compareAndSet(State.OPEN, State.CLOSING)) {
            end(code.status(), cause); // first: the writer, cut below, must not report its failure as the cause
            outbound.discard();
            terminate();
        }
    }

    /** The peer closed, or its socket failed: what is queued is dropped. */
    public void peerClosed(int status) {
        state.set(State.CLOSED);
        outbound.discard();
        end(status, CloseCause.PEER);
    }

    private void end(int status, CloseCause cause) {
        if (ended.compareAndSet(false, true)) {
            var planned = expiry.getAndSet(null);
            if (planned != null) {
                planned.cancel(false); // the timer must not hold an ended connection until its token's exp
            }
            terms.ending().ended(this, status, cause);
        }
    }

    /** Cuts the socket: Helidon's connection ends its read loop, interrupting it (which closes a blocked socket). */
    private void terminate() {
        state.set(State.CLOSED);
        outbound.discard();
        if (session instanceof ServerConnection connection) {
            connection.close(true);
        }
    }

    private void write(Outbound.Item item) {
        switch (item) {
            case Outbound.Text text -> session.send(text.frame().text(), true);
            case Outbound.Ping ping -> session.ping(BufferData.empty());
            case Outbound.Pong pong -> session.pong(BufferData.create(pong.payload()));
            case Outbound.Close close -> session.close(close.status(), close.reason());
        }
    }

    /** The socket failed under the writer: the peer is gone (unless we cut it, and then we already ended it). */
    private void writeFailed() {
        state.set(State.CLOSED);
        end(ABNORMAL, CloseCause.WRITE_FAILED);
    }
}
