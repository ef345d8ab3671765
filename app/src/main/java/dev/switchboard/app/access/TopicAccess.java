package dev.switchboard.app.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one connection may do with topics: {@link TopicRules} with its token's claims in place, and the patterns its
 * token grants. The only place topic rules are decided (docs/architecture.md). Made once per connection, so a check
 * is a few string matches. Thread-safe.
 */
public final class TopicAccess {
    /** Publish rate buckets kept per connection (one per topic published to), least recently used dropped. */
    static final int KEPT_BUCKETS = 256;

    /** Everything allowed, no rate: for connections that no rules apply to. */
    public static final TopicAccess OPEN = new TopicAccess(
            List.of(new Resolved(new TopicRules.Rule("*", true, true, 0, true), List.of(Pattern.Resolved.glob("*")))),
            List.of());

    /** A rule with the token's claims in place: its patterns, one per value of a list claim. */
    record Resolved(TopicRules.Rule rule, List<Pattern.Resolved> patterns) {}

    /** What a publish to a topic gets. */
    public enum Publish {
        ALLOWED,
        FORBIDDEN,
        /** Allowed by its rule, but over the rule's publish rate: dropped. */
        RATE_LIMITED
    }

    private final List<Resolved> rules;
    private final List<Pattern.Resolved> grants;
    private final Map<String, RateLimit> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateLimit> eldest) {
            return size() > KEPT_BUCKETS;
        }
    };

    TopicAccess(List<Resolved> rules, List<Pattern.Resolved> grants) {
        this.rules = List.copyOf(rules);
        this.grants = List.copyOf(grants);
    }

    /** Whether the connection may subscribe to the topic: granted by its token, or allowed by the first rule. */
    public boolean maySubscribe(String topic) {
        return granted(topic) || rule(topic).map(TopicRules.Rule::subscribe).orElse(false);
    }

    /**
     * Whether the connection may be a member of the topic's presence (it must also be allowed to subscribe): granted
     * by its token, or allowed by the first rule.
     */
    public boolean mayJoin(String topic) {
        return granted(topic)
                || rule(topic).map(r -> r.subscribe() && r.presence()).orElse(false);
    }

    /** Whether the connection may publish to the topic now (a client publish; backends are not asked). */
    public Publish publish(String topic) {
        if (granted(topic)) {
            return Publish.ALLOWED;
        }
        var rule = rule(topic);
        if (rule.isEmpty() || !rule.get().publish()) {
            return Publish.FORBIDDEN;
        }
        var rate = rule.get().publishRate();
        if (rate == 0) {
            return Publish.ALLOWED;
        }
        RateLimit bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(topic, t -> new RateLimit(rate, Math.max(1, rate)));
        }
        return bucket.tryAcquire() ? Publish.ALLOWED : Publish.RATE_LIMITED;
    }

    private boolean granted(String topic) {
        for (var grant : grants) {
            if (grant.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    /** The first rule whose pattern matches the topic. */
    private Optional<TopicRules.Rule> rule(String topic) {
        for (var resolved : rules) {
            for (var pattern : resolved.patterns()) {
                if (pattern.matches(topic)) {
                    return Optional.of(resolved.rule());
                }
            }
        }
        return Optional.empty();
    }
}
