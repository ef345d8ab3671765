package dev.switchboard.local;

import dev.switchboard.settings.Settings;
import io.helidon.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local stack's settings, read from {@code application.yaml} and overridden by environment variables through
 * Helidon's mapping ({@code SQS_PORT} reaches {@code sqs.port}). Validated when read: a bad value names its key and variable.
 *
 * @param dynamoDbEndpoint another DynamoDB to use instead of dynalite ({@code AWS_ENDPOINT_URL_DYNAMODB})
 * @param jwksUri an identity provider's JWKS to use instead of the dev issuer ({@code AUTH_JWKS_URI})
 * @param hmacSecret an HS256 secret to use instead of the dev issuer ({@code AUTH_HMAC_SECRET}, development only)
 * @param authIssuer the {@code iss} tokens must carry; empty means the dev issuer's own
 * @param readyFile where to write the stack's variables once it is up ({@code READY_FILE}, for launchers), if anywhere
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
        Path examplesDir,
        Optional<Path> readyFile) {

    /** A secret value, never printed: a record's own toString would show it. */
    record Secret(String value) {
        @Override
        public String toString() {
            return "Secret[(set)]";
        }
    }

    /** The class path resource with every key of the stack's and its default. */
    static final String DEFAULTS = "application.yaml";

    /** The environment and system properties over the defaults. */
    static Config config() {
        return Settings.config(List.of(DEFAULTS));
    }

    static LocalSettings from(Settings settings) {
        return new LocalSettings(
                settings.text("local.host"),
                settings.port("dynamodb.port"),
                settings.port("sqs.port"),
                settings.port("sns.port"),
                settings.port("issuer.port"),
                settings.port("server.port"),
                settings.port("management.port"),
                settings.port("pusher.port"),
                settings.text("aws.region"),
                settings.url("aws.endpoint.url.dynamodb"),
                settings.text("local.prefix"),
                settings.text("connections.table"),
                settings.text("connections.index"),
                settings.integer("local.redrive.receives", 1, 1000),
                settings.url("auth.jwks.uri"),
                settings.optional("auth.hmac.secret").map(Secret::new),
                settings.optional("auth.issuer"),
                settings.list("auth.audiences"),
                settings.text("dev.user"),
                settings.duration("dev.validity", Duration.ofMinutes(1), Duration.ofDays(365)),
                Path.of(settings.text("local.env.file")),
                settings.port("examples.port"),
                Path.of(settings.text("examples.dir")),
                settings.optional("ready.file").map(Path::of));
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
}
