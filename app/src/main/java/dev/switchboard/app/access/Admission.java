package dev.switchboard.app.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may open a connection on this node, checked at the handshake before the upgrade (so a refusal costs no
 * DynamoDB call): new connections per second per source address (checked before the token, so a flood costs no
 * signature check) and connections per user. Also where the source address comes from: the socket's peer, or —
 * behind {@code trustedProxies} proxies that each append the address they saw to {@code X-Forwarded-For}, as an ALB
 * does — the entry that many from the right end; the entries left of it are whatever the client sent. Thread-safe.
 */
public final class Admission {
    /** Source addresses whose connect rate is kept, least recently seen dropped. */
    static final int KEPT_SOURCES = 65_536;

    /**
     * What the operator set.
     *
     * @param userConnections connections one user may hold on this node; 0: no limit
     * @param connectRate new connections a second one source address may open on this node; 0: no limit
     * @param connectBurst how many it may open at once
     * @param trustedProxies proxies in front of the gateway that append to {@code X-Forwarded-For}; 0: none, the
     *     header is ignored
     */
    public record Limits(int userConnections, double connectRate, double connectBurst, int trustedProxies) {
        public Limits {
            if (userConnections < 0 || connectRate < 0 || connectBurst < 0 || trustedProxies < 0) {
                throw new IllegalArgumentException("admission limits must not be negative");
            }
        }

        public static final Limits NONE = new Limits(0, 0, 0, 0);
    }

    private final Limits limits;
    private final Map<String, RateLimit> sources = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateLimit> eldest) {
            return size() > KEPT_SOURCES;
        }
    };

    public Admission(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * The client's address: the socket's peer without trusted proxies; else the entry {@code trustedProxies} from the
     * right end of {@code X-Forwarded-For} (each value of the header in order, each a comma-separated list), or its
     * leftmost when it has fewer entries than that, or the peer when there is no header.
     */
    public String sourceAddress(List<String> forwardedFor, String peer) {
        if (limits.trustedProxies() == 0) {
            return peer;
        }
        var entries = forwardedFor.stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .toList();
        if (entries.isEmpty()) {
            return peer;
        }
        return entries.get(Math.max(0, entries.size() - limits.trustedProxies()));
    }

    /** Whether the source may open one more connection now; a refusal is counted against it too. */
    public boolean mayConnectFrom(String source) {
        if (limits.connectRate() == 0) {
            return true;
        }
        RateLimit bucket;
        synchronized (sources) {
            bucket = sources.computeIfAbsent(
                    source, s -> new RateLimit(limits.connectRate(), Math.max(1, limits.connectBurst())));
        }
        return bucket.tryAcquire();
    }

    /** Why a user holding {@code held} connections here may not open another, or empty when it may. */
    public Optional<String> userRefusal(int held) {
        if (limits.userConnections() > 0 && held >= limits.userConnections()) {
            return Optional.of("this user already holds " + held + " connections on this node, the limit");
        }
        return Optional.empty();
    }
}
