package dev.switchboard.app.lambda;

import static dev.switchboard.service.Settings.integer;
import static dev.switchboard.service.Settings.optional;
import static dev.switchboard.service.Settings.text;

import dev.switchboard.app.GatewaySettings;
import dev.switchboard.app.access.TopicRules;
import dev.switchboard.app.outputs.Outputs.PresenceTarget;
import dev.switchboard.service.Settings;
import io.helidon.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the serverless gateway reads, under the gateway's own names and defaults (its {@code gateway.yaml}, then the
 * environment): no ports, nodes, leases or token settings — API Gateway holds the sockets and the authorizer
 * Lambda checks the token.
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

    /** API Gateway's own limit on a connection's life: no record needs to outlive it by much. */
    static final Duration DEFAULT_CONNECTION_TTL = Duration.ofHours(3);

    static ServerlessSettings from(Config config) {
        return new ServerlessSettings(
                text(config, "connections.table"),
                text(config, "connections.index"),
                Settings.list(config, "connections.claims"),
                optional(config, "messages.queue.url"),
                optional(config, "messages.topic.arn"),
                GatewaySettings.presenceTarget(config),
                text(config, "outputs.source"),
                integer(config, "limits.frame.bytes", 1, 16 * 1024 * 1024),
                integer(config, "limits.topics", 1, 100_000),
                integer(config, "limits.topic.length", 1, 65_536),
                GatewaySettings.topicRules(config),
                optional(config, "apigw.endpoint").map(ServerlessSettings::endpoint),
                optional(config, "connections.ttl").map(value -> ttl(config)).orElse(DEFAULT_CONNECTION_TTL));
    }

    private static URI endpoint(String value) {
        try {
            var uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "config key apigw.endpoint (APIGW_ENDPOINT) is " + value
                            + "; it must be https://{api-id}.execute-api.{region}.amazonaws.com/{stage}",
                    e);
        }
    }

    private static Duration ttl(Config config) {
        var ttl = Settings.duration(config, "connections.ttl");
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalStateException("config key connections.ttl (CONNECTIONS_TTL) is " + ttl
                    + "; it must be at least PT1M (API Gateway keeps a connection up to PT2H)");
        }
        return ttl;
    }
}
