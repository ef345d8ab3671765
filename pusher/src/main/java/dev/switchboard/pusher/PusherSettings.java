package dev.switchboard.pusher;

import dev.switchboard.settings.Settings;
import dev.switchboard.settings.SettingsException;
import io.helidon.config.Config;
import io.helidon.config.spi.ConfigSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pusher's settings, read from {@value #DEFAULTS} (every key, with its default), {@code application.yaml} and the
 * environment (Helidon's mapping: {@code NOTIFICATIONS_QUEUE_URL} reaches {@code notifications.queue.url}),
 * validated at start: a bad value names its key and variable.
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
 * @param readyFile where to write the bound port once ready ({@code READY_FILE}; service.Readiness), if anywhere
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
        Duration shutdownDeadline,
        Optional<Path> readyFile) {

    /** The classpath resource with every key and its default. */
    public static final String DEFAULTS = "pusher.yaml";

    /** How a request is delivered: {@code delivery.per}. */
    enum DeliveryPer {
        /** Once per node, which resolves its targets. */
        NODE,
        /** A post per target connection. */
        CONNECTION
    }

    /** {@code overrides}, the environment, system properties, an optional {@code application.yaml}, the defaults. */
    public static Config config(ConfigSource... overrides) {
        return Settings.config(List.of(DEFAULTS), overrides);
    }

    /** A polling pusher's settings from exactly {@code environment} over the defaults, nothing else of this process. */
    public static PusherSettings fromEnvironment(Map<String, String> environment) {
        return from(Settings.of(Settings.fromEnvironment(List.of(DEFAULTS), environment)));
    }

    public static PusherSettings from(Config config) {
        return from(Settings.of(config));
    }

    /** A pusher that polls its queue: {@code notifications.queue.url} is required. */
    public static PusherSettings from(Settings settings) {
        var read = fromEventSource(settings);
        if (read.queueUrl().isEmpty()) {
            throw new SettingsException(Settings.named("notifications.queue.url") + " is missing: the queue to poll");
        }
        return read;
    }

    public static PusherSettings fromEventSource(Config config) {
        return fromEventSource(Settings.of(config));
    }

    /**
     * A pusher fed by an event source mapping (the Lambda handler): the queue is the mapping's, so {@code
     * notifications.queue.url} is not needed (nor made up).
     */
    public static PusherSettings fromEventSource(Settings settings) {
        return new PusherSettings(
                settings.text("pusher.host"),
                settings.port("pusher.port"),
                settings.integer("pusher.pollers", 1, 100),
                settings.optional("notifications.queue.url"),
                // SQS's bounds: a visibility timeout of at most 12 h, a long poll of at most 20 s.
                settings.duration("notifications.visibility", Duration.ofSeconds(2), Duration.ofHours(12)),
                settings.duration("notifications.wait", Duration.ZERO, Duration.ofSeconds(20)),
                settings.integer("notifications.inflight", 1, 100_000),
                settings.text("connections.table"),
                settings.text("connections.index"),
                settings.url("apigw.endpoint"),
                settings.integer("delivery.concurrency", 1, 100_000),
                settings.integer("delivery.node.concurrency", 1, 100_000),
                settings.integer("delivery.attempts", 1, 20),
                settings.duration("delivery.timeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                settings.choice("delivery.per", DeliveryPer.class) == DeliveryPer.NODE,
                settings.integer("delivery.lookup.topics.above", 0, 100_000),
                settings.integer("limits.frame.bytes", 1, 16 * 1024 * 1024),
                settings.duration("shutdown.deadline", Duration.ofMillis(10), Duration.ofHours(1)),
                settings.optional("ready.file").map(Path::of));
    }
}
