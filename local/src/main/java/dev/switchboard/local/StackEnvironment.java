package dev.switchboard.local;

import dev.switchboard.app.GatewayServer;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.pusher.PusherServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the stack tells its users, as environment variables (DESIGN names): the AWS endpoints, region and dummy
 * credentials the SDKs and CLI read, the resources, the token checks and a dev token.
 */
record StackEnvironment(Map<String, String> variables) {
    static final String DEV_TOKEN = "DEV_TOKEN";

    static StackEnvironment of(
            Emulators emulators,
            LocalResources resources,
            LocalSettings settings,
            LocalAuth auth,
            GatewayServer gateway,
            PusherServer pusher,
            int examplesPort) {
        var issuer = emulators.issuer();
        var audiences = settings.audiences();
        var variables = new LinkedHashMap<String, String>();
        variables.put("AWS_REGION", settings.region());
        variables.put("AWS_DEFAULT_REGION", settings.region());
        if (emulators.ownDynamoDb()) {
            // With an external DynamoDB (real AWS) the user's own credentials must stay in force; the emulators
            // accept any.
            variables.put("AWS_ACCESS_KEY_ID", Emulators.ACCESS_KEY_ID);
            variables.put("AWS_SECRET_ACCESS_KEY", Emulators.SECRET_ACCESS_KEY);
        }
        variables.put("AWS_ENDPOINT_URL_DYNAMODB", emulators.dynamoDbEndpoint().toString());
        variables.put("AWS_ENDPOINT_URL_SQS", emulators.sqsEndpoint().toString());
        variables.put("AWS_ENDPOINT_URL_SNS", emulators.snsEndpoint().toString());
        variables.put("CONNECTIONS_TABLE", resources.table());
        variables.put("CONNECTIONS_INDEX", settings.connectionsIndex());
        variables.put("NOTIFICATIONS_QUEUE_URL", resources.notifications().queueUrl());
        variables.put("NOTIFICATIONS_DLQ_URL", resources.notifications().deadLetterQueueUrl());
        variables.put("NOTIFICATIONS_TOPIC_ARN", resources.notifications().topicArn());
        variables.put("MESSAGES_QUEUE_URL", resources.messages().queueUrl());
        variables.put("MESSAGES_DLQ_URL", resources.messages().deadLetterQueueUrl());
        variables.put("MESSAGES_TOPIC_ARN", resources.messages().topicArn());
        auth.jwksUri().ifPresent(uri -> variables.put("AUTH_JWKS_URI", uri.toString()));
        auth.issuer().ifPresent(iss -> variables.put("AUTH_ISSUER", iss));
        variables.put("AUTH_AUDIENCES", String.join(",", audiences));
        variables.put("MANAGEMENT_URL", "http://" + settings.host() + ":" + gateway.managementPort());
        variables.put("PUSHER_URL", "http://" + settings.host() + ":" + pusher.port());
        variables.put("EXAMPLES_URL", "http://" + settings.host() + ":" + examplesPort);
        var wsUrl = URI.create("ws://" + settings.host() + ":" + gateway.port() + "/ws");
        var token = auth.devToken(
                issuer,
                settings.devUser(),
                audiences.stream().findFirst(),
                Instant.now().plus(settings.devTokenValidity()));
        token.ifPresentOrElse(
                t -> {
                    variables.put("WS_URL", wsUrl + "?authorization=" + t);
                    variables.put(DEV_TOKEN, t);
                },
                () -> variables.put("WS_URL", wsUrl.toString()));
        return new StackEnvironment(Collections.unmodifiableMap(variables));
    }

    Optional<String> devToken() {
        return Optional.ofNullable(variables.get(DEV_TOKEN));
    }

    /** Writes {@code KEY=VALUE} lines, for {@code set -a; . ./.local-stack.env}; replaced whole, never half-written. */
    void write(Path file) {
        var text = new StringBuilder("# Written by the Switchboard local stack; load with: set -a; . ./")
                .append(file.getFileName())
                .append("; set +a\n");
        variables.forEach(
                (key, value) -> text.append(key).append('=').append(value).append('\n'));
        try {
            var absolute = file.toAbsolutePath();
            var temporary = Files.createTempFile(absolute.getParent(), ".local-stack", ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
