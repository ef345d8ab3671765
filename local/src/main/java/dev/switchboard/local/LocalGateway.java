package dev.switchboard.local;

import dev.switchboard.app.GatewayServer;
import dev.switchboard.app.GatewaySettings;
import dev.switchboard.app.Main;
import dev.switchboard.emulators.Emulators;
import io.helidon.config.ConfigSources;
import java.net.URI;
import java.util.HashMap;

/**
 * The stack's gateway node: the real gateway ({@code app}), configured from the stack — its ports, its resources,
 * its issuer — over the gateway's own defaults and the environment (so {@code LIMITS_RATE} and the like still apply),
 * talking to the emulators.
 */
final class LocalGateway {
    private LocalGateway() {}

    static GatewayServer start(Emulators emulators, LocalResources resources, LocalSettings settings, LocalAuth auth) {
        var stack = new HashMap<String, String>();
        stack.put("server.host", settings.host());
        stack.put("server.port", Integer.toString(settings.gatewayPort()));
        stack.put("management.host", settings.host());
        stack.put("management.port", Integer.toString(settings.managementPort()));
        stack.put("management.url", "http://" + settings.host() + ":" + settings.managementPort());
        stack.put("node.id", "local");
        stack.put("ready.file", ""); // the stack writes its own, once all of it is up
        // Blank is absent: a JWKS URI left in the environment must not stand beside an HMAC secret.
        stack.put("auth.jwks.uri", auth.jwksUri().map(URI::toString).orElse(""));
        auth.hmacSecret().ifPresent(secret -> stack.put("auth.hmac.secret", secret.value()));
        stack.put("auth.audiences", String.join(",", settings.audiences()));
        auth.issuer().ifPresent(issuer -> stack.put("auth.issuer", issuer));
        stack.put("connections.table", resources.table());
        stack.put("connections.index", settings.connectionsIndex());
        stack.put("messages.queue.url", resources.messages().queueUrl());
        stack.put("messages.topic.arn", resources.messages().topicArn());
        stack.put("notifications.queue.url", resources.notifications().queueUrl());
        var gatewaySettings = GatewaySettings.from(
                GatewaySettings.config(ConfigSources.create(stack).build()));
        return Main.start(
                gatewaySettings,
                new Main.AwsClients(emulators.dynamoDbClient(), emulators.sqsClient(), emulators.snsClient()));
    }
}
