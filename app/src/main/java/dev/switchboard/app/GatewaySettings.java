package dev.switchboard.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.access.Admission;
import dev.switchboard.app.access.TopicRules;
import dev.switchboard.app.outputs.Outputs.PresenceTarget;
import dev.switchboard.authorizer.AuthSettings;
import dev.switchboard.settings.AuthConfig;
import dev.switchboard.settings.Settings;
import dev.switchboard.settings.SettingsException;
import io.helidon.config.Config;
import io.helidon.config.spi.ConfigSource;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway's settings, read from {@value #DEFAULTS} and {@value AuthConfig#DEFAULTS} (every key, with its default),
 * {@code application.yaml} and the environment (Helidon's mapping: {@code SERVER_PORT} reaches {@code server.port}),
 * validated at start: a bad value names its key and variable.
 *
 * @param managementUrl the internal URL to advertise in every connection record, where other nodes and pushers
 *     reach this node's Management API, as configured; {@link #advertisedUrl} makes it whole once the port is bound
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
 * @param readyFile where to write the bound ports once ready ({@code READY_FILE}; service.Readiness), if anywhere
 */
public record GatewaySettings(
        String host,
        int port,
        String managementHost,
        int managementPort,
        Optional<URI> managementUrl,
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
        Optional<String> notificationsQueueUrl,
        Optional<Path> readyFile) {

    /** The classpath resource with every key of the gateway's own and its default. */
    public static final String DEFAULTS = "gateway.yaml";

    /** Every defaults file the gateway reads, the first naming a key winning: its own, then the token checks'. */
    public static final List<String> DEFAULTS_FILES = List.of(DEFAULTS, AuthConfig.DEFAULTS);

    /** The shortest period a timer of the node may have (a zero period would spin or refuse to be scheduled). */
    static final Duration PERIOD_MIN = Duration.ofMillis(10);

    private static final Duration DAY = Duration.ofDays(1);

    /** The gateway's configuration: {@code overrides}, the environment, system properties, then the defaults. */
    public static Config config(ConfigSource... overrides) {
        return Settings.config(DEFAULTS_FILES, overrides);
    }

    /** The settings exactly {@code environment} gives over the defaults, nothing else of this process: tests. */
    public static GatewaySettings fromEnvironment(Map<String, String> environment) {
        return from(Settings.of(Settings.fromEnvironment(DEFAULTS_FILES, environment)));
    }

    public static GatewaySettings from(Config config) {
        return from(Settings.of(config));
    }

    public static GatewaySettings from(Settings settings) {
        var maxFrameBytes = settings.integer("limits.frame.bytes", 1, 16 * 1024 * 1024);
        return new GatewaySettings(
                settings.text("server.host"),
                settings.port("server.port"),
                settings.text("management.host"),
                settings.port("management.port"),
                settings.url("management.url"),
                settings.optional("node.id").orElseGet(() -> UUID.randomUUID().toString()),
                AuthConfig.read(settings),
                settings.text("connections.table"),
                settings.text("connections.index"),
                settings.list("connections.claims"),
                settings.optional("messages.queue.url"),
                settings.optional("messages.topic.arn"),
                presenceTarget(settings),
                settings.text("outputs.source"),
                maxFrameBytes,
                settings.integer("limits.topics", 1, 100_000),
                settings.integer("limits.topic.length", 1, 65_536),
                settings.number("limits.rate", 0.001, 1e9),
                settings.number("limits.burst", 1, 1e9),
                settings.integer("limits.abuse", 1, 1_000_000),
                settings.duration("liveness.ping", PERIOD_MIN, DAY),
                settings.duration("node.heartbeat", PERIOD_MIN, Duration.ofMinutes(10)),
                settings.duration("node.lease", PERIOD_MIN, DAY),
                settings.duration("node.sweep", PERIOD_MIN, DAY),
                settings.duration("topics.cache", Duration.ZERO, Duration.ofMinutes(10)),
                settings.duration("shutdown.delay", Duration.ZERO, Duration.ofHours(1)),
                settings.duration("shutdown.deadline", PERIOD_MIN, Duration.ofHours(1)),
                origins(settings),
                settings.bool("server.nio"),
                settings.integer("outbound.max.bytes", maxFrameBytes, 1 << 30),
                settings.duration("outbound.stall", PERIOD_MIN, DAY),
                settings.duration("close.grace", PERIOD_MIN, DAY),
                settings.integer("topics.relay.max.bytes", 1 << 16, Integer.MAX_VALUE),
                topicRules(settings),
                admission(settings),
                settings.integer("topics.cached", 1, 10_000_000),
                settings.optional("notifications.queue.url"),
                settings.optional("ready.file").map(Path::of));
    }

    /**
     * The URL to advertise once the internal socket is bound to {@code boundPort}: the configured one — its port
     * replaced by the bound one when the configured port or the socket's is 0 (any free one) —, or else this host's
     * address and the bound port.
     */
    public URI advertisedUrl(int boundPort) {
        var configured = managementUrl.orElseGet(() -> URI.create("http://" + localAddress() + ":" + managementPort));
        return configured.getPort() == 0 || managementPort == 0
                ? URI.create(configured.getScheme() + "://" + configured.getHost() + ":" + boundPort)
                : configured;
    }

    /** {@code presence.target}: topic, queue or none. */
    public static PresenceTarget presenceTarget(Settings settings) {
        return settings.choice("presence.target", PresenceTarget.class);
    }

    /**
     * {@code topics.rules}: a YAML list of rules, or the whole list as JSON text ({@code TOPICS_RULES}); {@code
     * topics.grant.claim}: the token claim listing patterns a token grants (empty: none).
     */
    public static TopicRules topicRules(Settings settings) {
        var node = settings.node("topics.rules");
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
            throw new SettingsException(Settings.named("topics.rules") + ": " + e.getMessage(), e);
        }
        return new TopicRules(rules, settings.optional("topics.grant.claim"));
    }

    private static Admission.Limits admission(Settings settings) {
        return new Admission.Limits(
                settings.integer("limits.user.connections", 0, 1_000_000),
                settings.number("limits.connect.rate", 0, 1e9),
                settings.number("limits.connect.burst", 0, 1e9),
                settings.integer("trusted.proxies", 0, 100));
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

    /**
     * Origins as browsers send them — lower case, no path, a port only when it is not the scheme's default — since
     * Helidon compares the {@code Origin} header with each one exactly.
     */
    private static List<String> origins(Settings settings) {
        return settings.list("ws.origins").stream().map(GatewaySettings::origin).toList();
    }

    private static String origin(String origin) {
        URI uri = null;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            // refused below, as any other non-origin
        }
        if (uri == null
                || uri.getScheme() == null
                || uri.getHost() == null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
            throw new SettingsException(Settings.named("ws.origins") + ": " + origin + " is not an origin; write"
                    + " scheme://host[:port], as browsers send it (https://app.example.com)");
        }
        var scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        var defaultPort = scheme.equals("https") ? 443 : 80;
        var port = uri.getPort() == -1 || uri.getPort() == defaultPort ? "" : ":" + uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port;
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
