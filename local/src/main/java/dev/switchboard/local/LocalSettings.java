package dev.switchboard.local;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The local stack's settings, read from {@code application.yaml} and overridden by environment variables through
 * Helidon's mapping ({@code SQS_PORT} reaches {@code sqs.port}). Validated when read: a bad value names its key.
 *
 * @param dynamoDbEndpoint another DynamoDB to use instead of dynalite ({@code AWS_ENDPOINT_URL_DYNAMODB})
 * @param jwksUri an identity provider's JWKS to use instead of the dev issuer ({@code AUTH_JWKS_URI})
 * @param hmacSecret an HS256 secret to use instead of the dev issuer ({@code AUTH_HMAC_SECRET}, development only)
 * @param authIssuer the {@code iss} tokens must carry; empty means the dev issuer's own
 */
record LocalSettings(
        String host,
        int dynamoDbPort,
        int sqsPort,
        int snsPort,
        int issuerPort,
        int gatewayPort,
        int managementPort,
        int pusherPort,
        String region,
        Optional<URI> dynamoDbEndpoint,
        String prefix,
        String connectionsTable,
        String connectionsIndex,
        int maxReceiveCount,
        Optional<URI> jwksUri,
        Optional<Secret> hmacSecret,
        Optional<String> authIssuer,
        List<String> audiences,
        String devUser,
        Duration devTokenValidity,
        Path envFile,
        int examplesPort,
        Path examplesDir) {

    /** A secret value, never printed: a record's own toString would show it. */
    record Secret(String value) {
        @Override
        public String toString() {
            return "Secret[(set)]";
        }
    }

    static LocalSettings from(Config config) {
        return new LocalSettings(
                text(config, "local.host"),
                port(config, "dynamodb.port"),
                port(config, "sqs.port"),
                port(config, "sns.port"),
                port(config, "issuer.port"),
                port(config, "server.port"),
                port(config, "management.port"),
                port(config, "pusher.port"),
                text(config, "aws.region"),
                optionalText(config, "aws.endpoint.url.dynamodb").map(uri -> parse(uri, "aws.endpoint.url.dynamodb")),
                text(config, "local.prefix"),
                text(config, "connections.table"),
                text(config, "connections.index"),
                number(config, "local.redrive.receives", 1, 1000),
                optionalText(config, "auth.jwks.uri").map(uri -> parse(uri, "auth.jwks.uri")),
                optionalText(config, "auth.hmac.secret").map(Secret::new),
                optionalText(config, "auth.issuer"),
                Arrays.stream(text(config, "auth.audiences").split(","))
                        .map(String::trim)
                        .filter(a -> !a.isEmpty())
                        .toList(),
                text(config, "dev.user"),
                read(config, "dev.validity", node -> node.as(Duration.class).get()),
                Path.of(text(config, "local.env.file")),
                port(config, "examples.port"),
                Path.of(text(config, "examples.dir")));
    }

    /**
     * The DynamoDB to use instead of dynalite, if any. One naming the stack's own dynalite address (left over from
     * sourcing {@code .local-stack.env}) means dynalite.
     */
    Optional<URI> externalDynamoDb() {
        var own = URI.create("http://" + host + ":" + dynamoDbPort);
        return dynamoDbEndpoint.filter(uri -> !uri.equals(own));
    }

    /** The queue or topic name for a part of the stack: {@code <prefix>-<name>}. */
    String name(String part) {
        return prefix + "-" + part;
    }

    private static String text(Config config, String key) {
        return optionalText(config, key)
                .orElseThrow(() -> new LocalStackException("config key " + key + " is missing or empty"));
    }

    private static Optional<String> optionalText(Config config, String key) {
        return read(
                config,
                key,
                node -> node.asString().asOptional().map(String::trim).filter(v -> !v.isEmpty()));
    }

    private static int port(Config config, String key) {
        return number(config, key, 0, 65_535);
    }

    private static int number(Config config, String key, int min, int max) {
        int value = read(config, key, node -> node.asInt().get());
        if (value < min || value > max) {
            throw new LocalStackException(
                    "config key " + key + " is " + value + "; it must lie between " + min + " and " + max);
        }
        return value;
    }

    private static URI parse(String uri, String key) {
        try {
            return URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new LocalStackException("config key " + key + " is not a URI: " + e.getMessage(), e);
        }
    }

    private static <T> T read(Config config, String key, Function<Config, T> reader) {
        try {
            return reader.apply(config.get(key));
        } catch (ConfigException e) {
            throw new LocalStackException("config key " + key + " is missing or invalid: " + e.getMessage(), e);
        }
    }
}
