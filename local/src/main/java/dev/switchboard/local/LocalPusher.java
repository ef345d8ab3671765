package dev.switchboard.local;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.pusher.Main;
import dev.switchboard.pusher.PusherServer;
import dev.switchboard.pusher.PusherSettings;
import io.helidon.config.ConfigSources;
import java.util.HashMap;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The stack's pusher: the real pusher, consuming the stack's notifications queue and delivering through the stack's
 * gateway, configured over the pusher's own defaults and the environment ({@code DELIVERY_*} and the like apply).
 */
final class LocalPusher {
    private LocalPusher() {}

    static PusherServer start(Emulators emulators, LocalResources resources, LocalSettings settings) {
        // The Management API clients take region and credentials from the SDK's environment: the stack's.
        setIfAbsent("aws.region", settings.region());
        setIfAbsent("aws.accessKeyId", Emulators.ACCESS_KEY_ID);
        setIfAbsent("aws.secretAccessKey", Emulators.SECRET_ACCESS_KEY);
        var stack = new HashMap<String, String>();
        stack.put("pusher.host", settings.host());
        stack.put("pusher.port", Integer.toString(settings.pusherPort()));
        stack.put("ready.file", ""); // the stack writes its own, once all of it is up
        stack.put("notifications.queue.url", resources.notifications().queueUrl());
        stack.put("connections.table", resources.table());
        stack.put("connections.index", settings.connectionsIndex());
        // Short long polls: Ctrl-C waits for the current one, and polls cost nothing here.
        stack.put("notifications.wait", "PT1S");
        var pusherSettings = PusherSettings.from(
                PusherSettings.config(ConfigSources.create(stack).build()));
        var sqs = Emulators.client(SqsAsyncClient.builder(), emulators.sqsEndpoint(), emulators.settings());
        return Main.start(pusherSettings, new Main.AwsClients(emulators.dynamoDbClient(), sqs));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
