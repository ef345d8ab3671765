package dev.switchboard.pusher;

import static dev.switchboard.service.Settings.duration;
import static dev.switchboard.service.Settings.integer;
import static dev.switchboard.service.Settings.optional;
import static dev.switchboard.service.Settings.text;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pusher's settings, read from {@value #DEFAULTS} (every key, with its default), {@code application.yaml} and the
 * environment (Helidon's mapping: {@code NOTIFICATIONS_QUEUE_URL} reaches {@code notifications.queue.url}),
 * validated at start: a bad value names its key.
 *
 * @param apigwEndpoint when present, every post goes to this endpoint (a real API Gateway) instead of each
 *     connection's node
 * @param pollWait how long one receive waits for messages (SQS long polling); a stopping pusher waits for it
 * @param maxInFlight messages fanned out at once, at most
 * @param perNode deliver each request once per node ({@code DELIVERY_PER=node}, the default: the node resolves its
 *     targets) rather than once per connection ({@code connection}); ignored with {@code apigwEndpoint}, where
 *     every delivery is a post per connection
 * @param lookUpTopicsAbove per node, a topic request goes to every node on record while there are at most this many,
 *     else to the nodes the topics' entries name
 * @param maxFrameBytes the gateway's frame limit: a notification whose {@code data} is larger is refused
 */
public record PusherSettings(
        String host,
        int port,
        int pollers,
        Optional<String> queueUrl,
        Duration visibility,
        Duration pollWait,
        int maxInFlight,
        String table,
        String index,
        Optional<URI> apigwEndpoint,
        int concurrency,
        int nodeConcurrency,
        int attempts,
        Duration attemptTimeout,
        boolean perNode,
        int lookUpTopicsAbove,
        int maxFrameBytes,
        Duration shutdownDeadline) {

    /** The classpath resource with every key and its default. */
    public static final String DEFAULTS = "pusher.yaml";

    /** Environment, system properties, an optional {@code application.yaml}, then the defaults. */
    public static Config config(ConfigSource... overrides) {
        var sources = new ArrayList<Supplier<? extends ConfigSource>>();
        sources.addAll(List.of(overrides));
        sources.add(ConfigSources.environmentVariables());
        sources.add(ConfigSources.systemProperties());
        sources.add(ConfigSources.classpath("application.yaml").optional());
        sources.add(ConfigSources.classpath(DEFAULTS));
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(sources)
                .build();
    }

    /** A pusher that polls its queue: {@code notifications.queue.url} is required. */
    public static PusherSettings from(Config config) {
        var settings = fromEventSource(config);
        if (settings.queueUrl().isEmpty()) {
            throw new IllegalStateException(
                    "config key notifications.queue.url is missing: set NOTIFICATIONS_QUEUE_URL");
        }
        return settings;
    }

    /**
     * A pusher fed by an event source mapping (the Lambda handler): the queue is the mapping's, so {@code
     * notifications.queue.url} is not needed (nor made up).
     */
    public static PusherSettings fromEventSource(Config config) {
        // SQS's bounds: a visibility timeout of at most 12 h, a long poll of at most 20 s.
        var visibility = duration(config, "notifications.visibility", Duration.ofSeconds(2), Duration.ofHours(12));
        return new PusherSettings(
                text(config, "pusher.host"),
                integer(config, "pusher.port", 0, 65_535),
                integer(config, "pusher.pollers", 1, 100),
                optional(config, "notifications.queue.url"),
                visibility,
                duration(config, "notifications.wait", Duration.ZERO, Duration.ofSeconds(20)),
                integer(config, "notifications.inflight", 1, 100_000),
                text(config, "connections.table"),
                text(config, "connections.index"),
                optional(config, "apigw.endpoint").map(value -> uri(value, "apigw.endpoint")),
                integer(config, "delivery.concurrency", 1, 100_000),
                integer(config, "delivery.node.concurrency", 1, 100_000),
                integer(config, "delivery.attempts", 1, 20),
                duration(config, "delivery.timeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                perNode(config),
                integer(config, "delivery.lookup.topics.above", 0, 100_000),
                integer(config, "limits.frame.bytes", 1, 16 * 1024 * 1024),
                duration(config, "shutdown.deadline", Duration.ofMillis(10), Duration.ofHours(1)));
    }

    /** These settings on another port: for tests and the local stack. */
    public PusherSettings withPort(int newPort) {
        return new PusherSettings(
                host,
                newPort,
                pollers,
                queueUrl,
                visibility,
                pollWait,
                maxInFlight,
                table,
                index,
                apigwEndpoint,
                concurrency,
                nodeConcurrency,
                attempts,
                attemptTimeout,
                perNode,
                lookUpTopicsAbove,
                maxFrameBytes,
                shutdownDeadline);
    }

    private static boolean perNode(Config config) {
        var per = text(config, "delivery.per");
        return switch (per) {
            case "node" -> true;
            case "connection" -> false;
            default ->
                throw new IllegalStateException(
                        "config key delivery.per is \"" + per + "\"; it must be \"connection\" or \"node\"");
        };
    }

    private static URI uri(String value, String key) {
        try {
            var uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("config key " + key + " is not a URL: " + value, e);
        }
    }
}
