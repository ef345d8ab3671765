package dev.switchboard.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.TestClient;
import dev.switchboard.emulators.TestNames;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistrySettings;
import dev.switchboard.registry.RegistryTable;
import dev.switchboard.settings.Settings;
import io.helidon.config.Config;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A gateway node on free loopback ports against the emulators, with a table, a messages queue and a messages topic
 * of its own (the topic delivers raw into {@link #topicQueueUrl}).
 */
final class GatewayFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Emulators emulators;
    final String table;
    final String queueUrl;
    final String topicArn;
    final String topicQueueUrl;
    final GatewayServer server;
    final ConnectionRegistry registry;

    GatewayFixture(Emulators emulators, TestNames names, Map<String, String> overrides) {
        this(emulators, names, overrides, null);
    }

    /** Another node of {@code cluster} (when not null): the same table, queue and topic. */
    GatewayFixture(Emulators emulators, TestNames names, Map<String, String> overrides, GatewayFixture cluster) {
        this.emulators = emulators;
        var sqs = emulators.sqsClient();
        if (cluster != null) {
            this.table = cluster.table;
            this.registry = cluster.registry;
            this.queueUrl = cluster.queueUrl;
            this.topicQueueUrl = cluster.topicQueueUrl;
            this.topicArn = cluster.topicArn;
        } else {
            this.table = names.unique("connections");
            var registrySettings = RegistrySettings.of(table);
            RegistryTable.create(emulators.dynamoDbClient(), registrySettings);
            this.registry = new ConnectionRegistry(emulators.dynamoDbClient(), registrySettings, Clock.systemUTC());
            this.queueUrl =
                    sqs.createQueue(b -> b.queueName(names.unique("messages"))).queueUrl();
            this.topicQueueUrl = sqs.createQueue(b -> b.queueName(names.unique("from-topic")))
                    .queueUrl();
            this.topicArn = emulators
                    .snsClient()
                    .createTopic(b -> b.name(names.unique("messages")))
                    .topicArn();
            var topicQueueArn = sqs.getQueueAttributes(
                            b -> b.queueUrl(topicQueueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            emulators.snsClient().subscribe(b -> b.topicArn(topicArn)
                    .protocol("sqs")
                    .endpoint(topicQueueArn)
                    .attributes(Map.of("RawMessageDelivery", "true")));
        }
        var settings = GatewaySettings.from(config(environment(overrides)));
        this.server = Main.start(
                settings,
                new Main.AwsClients(emulators.dynamoDbClient(), emulators.sqsClient(), emulators.snsClient()));
    }

    /** The environment of a node of this cluster on free loopback ports, with {@code overrides}. */
    Map<String, String> environment(Map<String, String> overrides) {
        var env = new HashMap<String, String>();
        env.put("SERVER_HOST", "127.0.0.1");
        env.put("SERVER_PORT", "0");
        env.put("MANAGEMENT_HOST", "127.0.0.1");
        env.put("MANAGEMENT_PORT", "0");
        env.put("MANAGEMENT_URL", "http://127.0.0.1:0");
        env.put("AUTH_JWKS_URI", emulators.issuer().jwksUri().toString());
        env.put("AUTH_AUDIENCES", "switchboard");
        env.put("AUTH_ISSUER", emulators.issuer().issuer());
        env.put("CONNECTIONS_TABLE", table);
        env.put("MESSAGES_QUEUE_URL", queueUrl);
        env.put("MESSAGES_TOPIC_ARN", topicArn);
        env.putAll(overrides);
        return env;
    }

    /** The gateway's configuration with exactly {@code env} as its environment. */
    static Config config(Map<String, String> env) {
        return Settings.fromEnvironment(GatewaySettings.DEFAULTS_FILES, env);
    }

    URI ws(String token) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws?authorization=" + token);
    }

    URI base() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    URI management() {
        return URI.create("http://127.0.0.1:" + server.managementPort());
    }

    String token(String user) {
        var issuer = emulators.issuer();
        return issuer.sign(issuer.claims(user, "switchboard").build());
    }

    /** The node's Prometheus scrape ({@code GET /metrics} on the internal port). */
    String metrics() throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(management().resolve("/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    TestClient connect(String user) {
        return TestClient.connect(ws(token(user)));
    }

    @Override
    public void close() {
        server.stop();
    }

    /** The user's presence statuses from the messages topic, in version order, once {@code count} have arrived. */
    List<String> presenceOf(String user, int count) {
        return presence(Set.of(user), statuses -> statuses.get(user).size() >= count)
                .get(user);
    }

    /**
     * The presence statuses of {@code users} from the messages topic, by user in version order, one per version (an
     * event is published at least once: a consumer deduplicates by version), once {@code done} holds for them
     * (another user's events are left on the queue for their own test).
     */
    Map<String, List<String>> presence(Set<String> users, Predicate<Map<String, List<String>>> done) {
        var events = new HashMap<String, List<JsonNode>>();
        users.forEach(user -> events.put(user, new ArrayList<>()));
        var sqs = emulators.sqsClient();
        var statuses = (Supplier<Map<String, List<String>>>)
                () -> events.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> {
                    var byVersion = new java.util.TreeMap<Long, String>();
                    e.getValue()
                            .forEach(event -> byVersion.put(
                                    event.path("version").asLong(),
                                    event.path("status").asText()));
                    return List.copyOf(byVersion.values());
                }));
        Await.until(
                "presence events of " + users,
                Duration.ofSeconds(30),
                () -> sqs.receiveMessage(b ->
                                b.queueUrl(topicQueueUrl).waitTimeSeconds(1).maxNumberOfMessages(10))
                        .messages(),
                messages -> {
                    for (var m : messages) {
                        var event = json(m.body()).path("message");
                        var mine = events.get(event.path("user_id").asText());
                        if (mine != null) {
                            mine.add(event);
                        } else {
                            sqs.changeMessageVisibility(b -> b.queueUrl(topicQueueUrl)
                                    .receiptHandle(m.receiptHandle())
                                    .visibilityTimeout(0));
                        }
                    }
                    return done.test(statuses.get());
                });
        return statuses.get();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
