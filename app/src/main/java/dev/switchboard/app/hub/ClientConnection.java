package dev.switchboard.app.hub;

import dev.switchboard.app.protocol.CloseCode;
import dev.switchboard.registry.Connection;
import io.helidon.websocket.WsSession;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's WebSocket on this node: who it is, where it came from, its topics and rate, and a send that is safe
 * from any thread (frames of one connection never interleave).
 */
public final class ClientConnection {
    private final WsSession session;
    private final Connection record;
    private final String sourceIp;
    private final String userAgent;
    private final RateLimit rate;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile Instant lastActiveAt;
    private volatile long lastPongNanos = System.nanoTime();

    public ClientConnection(WsSession session, Connection record, String sourceIp, String userAgent, RateLimit rate) {
        this.session = session;
        this.record = record;
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.rate = rate;
        this.lastActiveAt = record.connectedAt();
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

    /** The topics it is subscribed to on this node; the hub keeps this in step with its topic index. */
    Set<String> topics() {
        return topics;
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

    public long nanosSinceLastPong() {
        return System.nanoTime() - lastPongNanos;
    }

    public boolean isOpen() {
        return open.get();
    }

    /** Sends one text frame; false when the connection is closed or the send failed (it is then closed). */
    public synchronized boolean send(String text) {
        if (!open.get()) {
            return false;
        }
        try {
            session.send(text, true);
            return true;
        } catch (RuntimeException e) {
            open.set(false);
            return false;
        }
    }

    public synchronized void ping() {
        if (open.get()) {
            try {
                session.ping(io.helidon.common.buffers.BufferData.empty());
            } catch (RuntimeException e) {
                open.set(false);
            }
        }
    }

    /** Closes with a code of the catalog; idempotent. */
    public synchronized void close(CloseCode code, String reason) {
        if (open.compareAndSet(true, false)) {
            try {
                session.close(code.status(), reason);
            } catch (RuntimeException e) {
                try {
                    session.terminate(); // the socket is already gone: Helidon's terminate writes a close frame too
                } catch (RuntimeException alreadyGone) {
                    // nothing left to close
                }
            }
        }
    }

    /** Marks it closed after the peer closed it. */
    public void closed() {
        open.set(false);
    }
}
