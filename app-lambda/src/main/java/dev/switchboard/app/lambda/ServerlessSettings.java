package dev.switchboard.app.lambda;

import dev.switchboard.app.GatewaySettings;
import dev.switchboard.app.access.TopicRules;
import dev.switchboard.app.outputs.Outputs.PresenceTarget;
import dev.switchboard.settings.Settings;
import io.helidon.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the serverless gateway reads: its own keys ({@value #DEFAULTS}) and, under the gateway's own names and defaults,
 * the gateway's that apply behind API Gateway — no ports, nodes, leases or token settings: API Gateway holds the
 * sockets and the authorizer Lambda checks the token.
 *
 * @param keptClaims the token claims kept in each connection record ({@code CONNECTIONS_CLAIMS})
 * @param apigwEndpoint the Management API endpoint ({@code APIGW_ENDPOINT}); default: the event's own domain and
 *     stage ({@code https://{domainName}/{stage}})
 * @param connectionTtl how long a connection's items live when its {@code $disconnect} never comes ({@code
 *     CONNECTIONS_TTL}); API Gateway ends every connection within 2 hours
 */
record ServerlessSettings(
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
        TopicRules topicRules,
        Optional<URI> apigwEndpoint,
        Duration connectionTtl) {

    /** The class path resource with the serverless gateway's own keys and their defaults. */
    static final String DEFAULTS = "serverless.yaml";

    /** Its own defaults, then the gateway's. */
    static final List<String> DEFAULTS_FILES = defaultsFiles();

    /** The environment (and system properties) over the defaults. */
    static Config config() {
        return Settings.config(DEFAULTS_FILES);
    }

    static ServerlessSettings from(Settings settings) {
        return new ServerlessSettings(
                settings.text("connections.table"),
                settings.text("connections.index"),
                settings.list("connections.claims"),
                settings.optional("messages.queue.url"),
                settings.optional("messages.topic.arn"),
                GatewaySettings.presenceTarget(settings),
                settings.text("outputs.source"),
                settings.integer("limits.frame.bytes", 1, 16 * 1024 * 1024),
                settings.integer("limits.topics", 1, 100_000),
                settings.integer("limits.topic.length", 1, 65_536),
                GatewaySettings.topicRules(settings),
                settings.url("apigw.endpoint"),
                // At least a minute; API Gateway keeps a connection up to two hours.
                settings.duration("connections.ttl", Duration.ofMinutes(1), Duration.ofDays(7)));
    }

    private static List<String> defaultsFiles() {
        var files = new ArrayList<String>();
        files.add(DEFAULTS);
        files.addAll(GatewaySettings.DEFAULTS_FILES);
        return List.copyOf(files);
    }
}
