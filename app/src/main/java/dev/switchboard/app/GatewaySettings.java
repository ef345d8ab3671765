package dev.switchboard.app;

import static dev.switchboard.service.Settings.duration;
import static dev.switchboard.service.Settings.integer;
import static dev.switchboard.service.Settings.optional;
import static dev.switchboard.service.Settings.read;
import static dev.switchboard.service.Settings.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.access.Admission;
import dev.switchboard.app.access.TopicRules;
import dev.switchboard.app.outputs.Outputs.PresenceTarget;
import dev.switchboard.authorizer.AuthSettings;
import dev.switchboard.service.Settings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The gateway's settings, read from {@value #DEFAULTS} (every key, with its default), {@code application.yaml}
 * and the environment (Helidon's mapping: {@code
 * SERVER_PORT} reaches {@code server.port}), validated at start: a bad value names its key.
 *
 * @param managementUrl the internal URL advertised in every connection record, where other nodes and pushers
 *     reach this node's Management API
 * @param shutdownDelay how long a draining node keeps its clients after readiness turns false, so that a load
 *     balancer stops routing to it first
 * @param shutdownDeadline how long the drain (closing clients, deregistering them) may take after the delay
 * @param origins the browser origins allowed to open a WebSocket ({@code https://app.example.com}); empty: any
 * @param nio whether the sockets use Helidon's NIO socket (its 4.4+ default) instead of the plain blocking one
 * @param outboundMaxBytes the bytes one connection may have queued and not yet written; past it, it is closed (1013)
 * @param outboundStall how long one write to a connection may block before it is closed (1013)
 * @param closeGrace how long a connection we closed may take to end the close handshake before its socket is cut
 * @param relayMaxBytes the bytes of publishes queued for one other node; past it, publishes to it are dropped
 * @param topicRules which topics clients may subscribe and publish to ({@code topics.rules}, {@code
 *     topics.grant.claim})
 * @param admission who may connect: per user, per source address, and how many proxies append to {@code
 *     X-Forwarded-For}
 * @param topicsCached topics whose list of nodes is kept at most (the names are the clients')
 * @param notificationsQueueUrl where the console's form sends notification requests (the pusher's queue), if any
 */
public record GatewaySettings(
        String host,
        int port,
        String managementHost,
        int managementPort,
        URI managementUrl,
        String nodeId,
        AuthSettings auth,
        String table,
        String index,
        List<String> keptClaims,
        Optional<String> messagesQueueUrl,
        Optional<String> messagesTopicArn,
        PresenceTarget presenceTarget,
        String source,
        int maxFrameBytes,
        int maxTopics,
        int maxTopicLength,
        double ratePerSecond,
        double rateBurst,
        int abuseThreshold,
        Duration pingInterval,
        Duration heartbeatInterval,
        Duration nodeLease,
        Duration sweepInterval,
        Duration topicsCache,
        Duration shutdownDelay,
        Duration shutdownDeadline,
        List<String> origins,
        boolean nio,
        int outboundMaxBytes,
        Duration outboundStall,
        Duration closeGrace,
        long relayMaxBytes,
        TopicRules topicRules,
        Admission.Limits admission,
        int topicsCached,
        Optional<String> notificationsQueueUrl) {

    /** The classpath resource with every key and its default; {@code application.yaml} and the environment win. */
    public static final String DEFAULTS = "gateway.yaml";

    /** The shortest period a timer of the node may have (a zero period would spin or refuse to be scheduled). */
    static final Duration PERIOD_MIN = Duration.ofMillis(10);

    private static final Duration DAY = Duration.ofDays(1);

    /**
     * The gateway's configuration: environment variables, system properties, an optional {@code application.yaml}
     * on the class path, then the defaults ({@value #DEFAULTS}). The defaults have a name of their own so that a
     * process embedding the gateway (the local stack) keeps its own {@code application.yaml}.
     */
    public static Config config(ConfigSource... overrides) {
        var builder = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource();
        var sources = new ArrayList<Supplier<? extends ConfigSource>>();
        sources.addAll(List.of(overrides));
        sources.add(ConfigSources.environmentVariables());
        sources.add(ConfigSources.systemProperties());
        sources.add(ConfigSources.classpath("application.yaml").optional());
        sources.add(ConfigSources.classpath(DEFAULTS));
        return builder.sources(sources).build();
    }

    public static GatewaySettings from(Config config) {
        var managementPort = integer(config, "management.port", 0, 65_535);
        var nodeId =
                optional(config, "node.id").orElseGet(() -> UUID.randomUUID().toString());
        var managementUrl = optional(config, "management.url")
                .map(url -> uri(url, "management.url"))
                .orElseGet(() -> URI.create("http://" + localAddress() + ":" + managementPort));
        return new GatewaySettings(
                text(config, "server.host"),
                integer(config, "server.port", 0, 65_535),
                text(config, "management.host"),
                managementPort,
                managementUrl,
                nodeId,
                auth(config),
                text(config, "connections.table"),
                text(config, "connections.index"),
                Settings.list(config, "connections.claims"),
                optional(config, "messages.queue.url"),
                optional(config, "messages.topic.arn"),
                presenceTarget(config),
                text(config, "outputs.source"),
                integer(config, "limits.frame.bytes", 1, 16 * 1024 * 1024),
                integer(config, "limits.topics", 1, 100_000),
                integer(config, "limits.topic.length", 1, 65_536),
                Settings.number(config, "limits.rate", 0.001, 1e9),
                Settings.number(config, "limits.burst", 1, 1e9),
                integer(config, "limits.abuse", 1, 1_000_000),
                duration(config, "liveness.ping", PERIOD_MIN, DAY),
                duration(config, "node.heartbeat", PERIOD_MIN, Duration.ofMinutes(10)),
                duration(config, "node.lease", PERIOD_MIN, DAY),
                duration(config, "node.sweep", PERIOD_MIN, DAY),
                duration(config, "topics.cache", Duration.ZERO, Duration.ofMinutes(10)),
                duration(config, "shutdown.delay", Duration.ZERO, Duration.ofHours(1)),
                duration(config, "shutdown.deadline", PERIOD_MIN, Duration.ofHours(1)),
                origins(optional(config, "ws.origins").orElse("")),
                read(config, "server.nio", node -> node.asBoolean().get()),
                integer(
                        config,
                        "outbound.max.bytes",
                        integer(config, "limits.frame.bytes", 1, 16 * 1024 * 1024),
                        1 << 30),
                duration(config, "outbound.stall", PERIOD_MIN, DAY),
                duration(config, "close.grace", PERIOD_MIN, DAY),
                integer(config, "topics.relay.max.bytes", 1 << 16, Integer.MAX_VALUE),
                topicRules(config),
                admission(config),
                integer(config, "topics.cached", 1, 10_000_000),
                optional(config, "notifications.queue.url"));
    }

    /** {@code presence.target}: topic, queue or none. */
    public static PresenceTarget presenceTarget(Config config) {
        return read(
                config,
                "presence.target",
                node -> PresenceTarget.valueOf(node.asString().get().trim().toUpperCase(Locale.ROOT)));
    }

    /**
     * {@code topics.rules}: a YAML list of rules, or the whole list as JSON text ({@code TOPICS_RULES}); {@code
     * topics.grant.claim}: the token claim listing patterns a token grants (empty: none).
     */
    public static TopicRules topicRules(Config config) {
        var node = config.get("topics.rules");
        List<TopicRules.Rule> rules;
        try {
            if (node.isLeaf()) {
                rules = TopicRules.parse(node.asString().orElse(TopicRules.DEFAULT));
            } else {
                var json = new ObjectMapper();
                rules = new ArrayList<>();
                for (var entry : node.asNodeList().get()) {
                    var rule = json.createObjectNode();
                    for (var field : entry.asNodeList().orElse(List.of())) {
                        var name = field.name();
                        var value = field.asString().orElse("");
                        switch (name) {
                            case "subscribe", "publish", "presence" -> rule.put(name, bool(value, name));
                            // Numbers as JSON numbers, so that TopicRules checks them as it checks TOPICS_RULES.
                            case "publishRate", "history" -> rule.set(name, number(json, value, name));
                            default -> rule.put(name, value);
                        }
                    }
                    rules.add(TopicRules.rule(rule));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("config key topics.rules (TOPICS_RULES): " + e.getMessage(), e);
        }
        return new TopicRules(rules, optional(config, "topics.grant.claim"));
    }

    private static Admission.Limits admission(Config config) {
        var rate = read(config, "limits.connect.rate", node -> node.asDouble().get());
        var burst = read(config, "limits.connect.burst", node -> node.asDouble().get());
        if (!(rate >= 0) || !(burst >= 0) || Double.isInfinite(rate) || Double.isInfinite(burst)) {
            throw new IllegalStateException(
                    "config keys limits.connect.rate and limits.connect.burst must be numbers >= 0");
        }
        return new Admission.Limits(
                integer(config, "limits.user.connections", 0, 1_000_000),
                rate,
                burst,
                integer(config, "trusted.proxies", 0, 100));
    }

    private static boolean bool(String value, String field) {
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(field + " must be true or false, not " + value);
        };
    }

    private static JsonNode number(ObjectMapper json, String value, String field) {
        try {
            var parsed = json.readTree(value.trim());
            if (parsed != null && parsed.isNumber()) {
                return parsed;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // not a number either
        }
        throw new IllegalArgumentException(field + " must be a number, not " + value);
    }

    /** This gateway with other ports and internal URL: for tests and the local stack, which bind port 0. */
    public GatewaySettings withPorts(int publicPort, int internalPort, URI url) {
        return new GatewaySettings(
                host,
                publicPort,
                managementHost,
                internalPort,
                url,
                nodeId,
                auth,
                table,
                index,
                keptClaims,
                messagesQueueUrl,
                messagesTopicArn,
                presenceTarget,
                source,
                maxFrameBytes,
                maxTopics,
                maxTopicLength,
                ratePerSecond,
                rateBurst,
                abuseThreshold,
                pingInterval,
                heartbeatInterval,
                nodeLease,
                sweepInterval,
                topicsCache,
                shutdownDelay,
                shutdownDeadline,
                origins,
                nio,
                outboundMaxBytes,
                outboundStall,
                closeGrace,
                relayMaxBytes,
                topicRules,
                admission,
                topicsCached,
                notificationsQueueUrl);
    }

    private static AuthSettings auth(Config config) {
        var audiences = Settings.list(config, "auth.audiences");
        var issuer = optional(config, "auth.issuer");
        var jwks = optional(config, "auth.jwks.uri");
        var secret = optional(config, "auth.hmac.secret");
        try {
            if (jwks.isPresent() && secret.isPresent()) {
                throw new IllegalArgumentException("set auth.jwks.uri or auth.hmac.secret, not both");
            }
            var auth = jwks.map(uri -> AuthSettings.jwks(uri(uri, "auth.jwks.uri"), audiences, issuer))
                    .or(() -> secret.map(s -> AuthSettings.hmac(s, audiences, issuer)))
                    .orElseThrow(
                            () -> new IllegalArgumentException(
                                    "set auth.jwks.uri (AUTH_JWKS_URI), or auth.hmac.secret (AUTH_HMAC_SECRET) for development"));
            auth = auth.withVerifyExpiration(read(
                    config, "auth.verify.expiration", node -> node.asBoolean().get()));
            auth = auth.withClockSkew(read(
                    config, "auth.clock.skew", node -> node.as(Duration.class).get()));
            return auth.withUserClaim(text(config, "auth.user.claim"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("config auth: " + e.getMessage(), e);
        }
    }

    /**
     * Origins as browsers send them — lower case, no path, a port only when it is not the scheme's default — since
     * Helidon compares the {@code Origin} header with each one exactly.
     */
    private static List<String> origins(String value) {
        return list(value).stream()
                .map(origin -> {
                    var uri = uri(origin, "ws.origins");
                    if (uri.getScheme() == null
                            || uri.getHost() == null
                            || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
                        throw new IllegalStateException("config key ws.origins: " + origin + " is not an origin; write"
                                + " scheme://host[:port], as browsers send it (https://app.example.com)");
                    }
                    var scheme = uri.getScheme().toLowerCase(Locale.ROOT);
                    var defaultPort = scheme.equals("https") ? 443 : 80;
                    var port = uri.getPort() == -1 || uri.getPort() == defaultPort ? "" : ":" + uri.getPort();
                    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port;
                })
                .toList();
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static URI uri(String value, String key) {
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("config key " + key + " is not a URI: " + e.getMessage(), e);
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
