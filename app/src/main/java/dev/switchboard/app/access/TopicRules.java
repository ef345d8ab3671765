package dev.switchboard.app.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's topic rules: which topics a client may subscribe to and publish to, by pattern, evaluated in order,
 * first match wins; a topic no rule matches is refused. A pattern is exact text with {@code *} (any run of
 * characters, none included) and placeholders for the token's claims — {@code {sub}} (the user) and {@code
 * {claim.NAME}}; a claim that is a list stands for each of its values, a rule whose claim is missing matches nothing.
 * A claim's value is always literal text: a {@code *} in it matches only a {@code *}. Besides the rules, a token
 * claim ({@code grantClaim}) may list patterns (with {@code *}, no placeholders) that the token itself grants:
 * subscribe and publish, before any rule. Backends are not subject to rules: the pusher delivers to any topic. The
 * one place rules are evaluated is {@link TopicAccess}, made once per connection by {@link #forToken}. Immutable.
 */
public final class TopicRules {
    /**
     * The default: a user may subscribe to its own {@code user:<sub>} topic (where backends reach it) but not
     * publish there; other namespaced topics ({@code a:b}) are refused until the operator opens them; every other
     * topic — y-webrtc's rooms — may be subscribed to and published to, as before rules existed.
     */
    public static final String DEFAULT = "[{\"pattern\":\"user:{sub}\",\"subscribe\":true,\"publish\":false},"
            + "{\"pattern\":\"*:*\",\"subscribe\":false,\"publish\":false},"
            + "{\"pattern\":\"*\",\"subscribe\":true,\"publish\":true,\"presence\":true}]";

    /** Values of a list claim expanded per rule, at most. */
    static final int MAX_CLAIM_VALUES = 100;

    private static final Set<String> FIELDS =
            Set.of("pattern", "subscribe", "publish", "presence", "publishRate", "history", "historyTtl");

    /** How long a topic's messages are kept when its rule keeps history and names no {@code historyTtl}. */
    public static final Duration DEFAULT_HISTORY_TTL = Duration.ofHours(1);

    /** Messages a topic may keep at most. */
    public static final int MAX_HISTORY = 10_000;

    /**
     * What a topic with history keeps.
     *
     * @param messages the last this many are readable (history and recovery)
     * @param ttl how long each is kept
     */
    public record History(int messages, Duration ttl) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One rule.
     *
     * @param publishRate publishes a second one connection may make to one topic this rule matches (bursts of as
     *     many); 0: no limit of its own (the connection's frame rate still applies)
     * @param presence whether a subscriber may be a member of the topic's presence (see and be seen: join, leave,
     *     the member list)
     * @param history messages the topics it matches keep (0: none), for history and recovery
     * @param historyTtl how long each is kept
     */
    public record Rule(
            String pattern,
            boolean subscribe,
            boolean publish,
            double publishRate,
            boolean presence,
            int history,
            Duration historyTtl) {
        /** A rule without presence or history. */
        public Rule(String pattern, boolean subscribe, boolean publish, double publishRate) {
            this(pattern, subscribe, publish, publishRate, false);
        }

        /** A rule without history. */
        public Rule(String pattern, boolean subscribe, boolean publish, double publishRate, boolean presence) {
            this(pattern, subscribe, publish, publishRate, presence, 0, DEFAULT_HISTORY_TTL);
        }

        public Rule {
            if (history < 0 || history > MAX_HISTORY) {
                throw new IllegalArgumentException(
                        "history of " + pattern + " must be from 0 to " + MAX_HISTORY + " messages");
            }
            if (historyTtl == null || !historyTtl.isPositive()) {
                throw new IllegalArgumentException("historyTtl of " + pattern + " must be a positive duration");
            }
            if (pattern == null || pattern.isEmpty()) {
                throw new IllegalArgumentException("a topic rule needs a non-empty pattern");
            }
            if (!(publishRate >= 0) || Double.isInfinite(publishRate)) {
                throw new IllegalArgumentException("publishRate of " + pattern + " must be a number >= 0");
            }
            Pattern.parse(pattern); // placeholders checked now, not at the first subscribe
        }
    }

    private final List<Rule> rules;
    private final Optional<String> grantClaim;
    private final List<Pattern.Resolved> anyClaims;

    public TopicRules(List<Rule> rules, Optional<String> grantClaim) {
        this.rules = List.copyOf(rules);
        this.grantClaim = grantClaim.filter(claim -> !claim.isBlank());
        this.anyClaims = this.rules.stream()
                .map(rule -> Pattern.parse(rule.pattern()).anyClaims())
                .toList();
    }

    /** Equal when the rules and the grant claim are: settings holding rules compare by value. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TopicRules that && rules.equals(that.rules) && grantClaim.equals(that.grantClaim);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(rules, grantClaim);
    }

    /**
     * What the topic keeps, whoever publishes (a client or a backend): the first rule whose pattern matches it with
     * any claims in place decides — by the topic's own name, since its messages are shared by all its subscribers.
     */
    public Optional<History> historyOf(String topic) {
        for (var i = 0; i < rules.size(); i++) {
            if (anyClaims.get(i).matches(topic)) {
                var rule = rules.get(i);
                return rule.history() > 0
                        ? Optional.of(new History(rule.history(), rule.historyTtl()))
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Rules from their JSON form: an array of {@code {"pattern":…,"subscribe":…,"publish":…,"publishRate":…}}.
     *
     * @throws IllegalArgumentException naming what is wrong: not an array, a field unknown or of the wrong type
     */
    public static List<Rule> parse(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("topic rules are not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isArray()) {
            throw new IllegalArgumentException("topic rules must be a JSON array of rules");
        }
        var rules = new ArrayList<Rule>();
        for (var node : tree) {
            rules.add(rule(node));
        }
        return rules;
    }

    /** One rule from a JSON object (also how a YAML list entry is read). */
    public static Rule rule(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a topic rule must be an object, not " + node);
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(
                        "unknown field " + field + " in topic rule " + node + "; known: " + FIELDS);
            }
        });
        var pattern = node.path("pattern");
        if (!pattern.isTextual()) {
            throw new IllegalArgumentException("a topic rule needs a text pattern: " + node);
        }
        return new Rule(
                pattern.asText(),
                flag(node, "subscribe"),
                flag(node, "publish"),
                node.has("publishRate") ? number(node, "publishRate") : 0,
                flag(node, "presence"),
                // Past an int, saturated rather than wrapped, so that the rule's own range check refuses it.
                node.has("history")
                        ? (int) Math.clamp(whole(node, "history"), Integer.MIN_VALUE, Integer.MAX_VALUE)
                        : 0,
                node.has("historyTtl") ? duration(node, "historyTtl") : DEFAULT_HISTORY_TTL);
    }

    private static boolean flag(JsonNode rule, String field) {
        var value = rule.path(field);
        if (value.isMissingNode()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false in topic rule " + rule);
        }
        return value.booleanValue();
    }

    private static long whole(JsonNode rule, String field) {
        var value = rule.path(field);
        if (!value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be a whole number in topic rule " + rule);
        }
        return value.longValue();
    }

    private static Duration duration(JsonNode rule, String field) {
        var value = rule.path(field);
        try {
            return Duration.parse(value.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    field + " must be an ISO-8601 duration such as PT1H in topic rule " + rule, e);
        }
    }

    private static double number(JsonNode rule, String field) {
        var value = rule.path(field);
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number in topic rule " + rule);
        }
        return value.doubleValue();
    }

    public List<Rule> rules() {
        return rules;
    }

    public Optional<String> grantClaim() {
        return grantClaim;
    }

    /** The access of one connection: the rules with its token's claims in place, and what its token grants. */
    public TopicAccess forToken(String userId, Map<String, Object> claims) {
        var resolved = new ArrayList<TopicAccess.Resolved>();
        for (var rule : rules) {
            var patterns = Pattern.parse(rule.pattern()).resolve(userId, claims);
            if (!patterns.isEmpty()) {
                resolved.add(new TopicAccess.Resolved(rule, patterns));
            }
        }
        var grants = new ArrayList<Pattern.Resolved>();
        grantClaim.map(claims::get).ifPresent(value -> {
            for (var granted : Pattern.values(value)) {
                grants.add(Pattern.Resolved.glob(granted));
            }
        });
        return new TopicAccess(resolved, grants);
    }
}
