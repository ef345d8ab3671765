package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.TestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Uses the local stack as a newcomer would: only through what it wrote to its environment file, with the real SDK
 * clients, and asserts that each part works.
 */
final class StackUser implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final SnsClient sns;

    StackUser(Path envFile) throws IOException {
        this.env = read(envFile);
        this.dynamoDb = client(DynamoDbClient.builder(), "AWS_ENDPOINT_URL_DYNAMODB");
        this.sqs = client(SqsClient.builder(), "AWS_ENDPOINT_URL_SQS");
        this.sns = client(SnsClient.builder(), "AWS_ENDPOINT_URL_SNS");
    }

    /** The {@code KEY=VALUE} lines of the file; comment lines are skipped. */
    static Map<String, String> read(Path envFile) throws IOException {
        var env = new LinkedHashMap<String, String>();
        for (var line : Files.readAllLines(envFile)) {
            if (!line.startsWith("#") && line.contains("=")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return env;
    }

    String get(String key) {
        assertThat(env).containsKey(key);
        return env.get(key);
    }

    Map<String, String> env() {
        return env;
    }

    void findsTheConnectionsTableWithItsIndex() {
        var table = get("CONNECTIONS_TABLE");
        var description = dynamoDb.describeTable(b -> b.tableName(table)).table();
        assertThat(description.keySchema())
                .extracting(k -> k.attributeName() + ":" + k.keyType())
                .containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
        assertThat(description.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo(get("CONNECTIONS_INDEX"));
            assertThat(index.keySchema().getFirst().attributeName()).isEqualTo("sk");
        });
    }

    /**
     * The stack's pusher delivers to a client connected with the dev token what is sent to the notifications queue
     * and what is published to the notifications topic; the queue redrives.
     */
    void getsNotificationsThroughTheQueueAndTheTopic(int maxReceiveCount) throws Exception {
        redrives("NOTIFICATIONS", maxReceiveCount);
        var user = SignedJWT.parse(get("DEV_TOKEN")).getJWTClaimsSet().getSubject();
        try (var client = TestClient.connect(URI.create(get("WS_URL")))) {
            client.pingForConnectionId();

            sqs.sendMessage(b -> b.queueUrl(get("NOTIFICATIONS_QUEUE_URL"))
                    .messageBody("{\"users\":[\"" + user + "\"],\"data\":{\"via\":\"sqs\"}}"));
            assertThat(client.next().path("via").asText()).isEqualTo("sqs");

            sns.publish(b -> b.topicArn(get("NOTIFICATIONS_TOPIC_ARN"))
                    .message("{\"users\":[\"" + user + "\"],\"data\":{\"via\":\"sns\"}}"));
            assertThat(client.next().path("via").asText()).isEqualTo("sns");
        }
    }

    private void redrives(String channel, int maxReceiveCount) throws IOException {
        var queueUrl = get(channel + "_QUEUE_URL");
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL))
                .attributes();
        var redrive = JSON.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(maxReceiveCount);
        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(arnOf(get(channel + "_DLQ_URL")));
    }

    /** Publishes to the channel's topic and receives the message, raw, on its queue; the queue redrives. */
    void receivesOnTheQueueWhatIsPublishedToTheTopic(String channel, int maxReceiveCount) throws IOException {
        redrives(channel, maxReceiveCount);
        var queueUrl = get(channel + "_QUEUE_URL");

        var body = "{\"users\":[\"u1\"],\"data\":{\"hello\":\"" + channel + "\"}}";
        sns.publish(b -> b.topicArn(get(channel + "_TOPIC_ARN")).message(body));

        // Among what else arrives there (the gateway's presence events, on the messages queue).
        Await.until(
                "the published message on " + queueUrl,
                DEADLINE,
                () -> sqs.receiveMessage(
                                b -> b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10))
                        .messages(),
                messages -> messages.stream().map(Message::body).anyMatch(body::equals));
    }

    /** The dev token verifies with a key of the printed JWKS and carries the printed issuer and audience. */
    void verifiesTheDevTokenAgainstThePrintedJwks() throws Exception {
        var token = SignedJWT.parse(get("DEV_TOKEN"));
        var jwks = JWKSet.load(URI.create(get("AUTH_JWKS_URI")).toURL());
        var key = jwks.getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(key).isNotNull();
        assertThat(token.verify(new RSASSAVerifier(key.toRSAKey()))).isTrue();
        assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(get("AUTH_ISSUER"));
        assertThat(token.getJWTClaimsSet().getAudience()).containsExactly(get("AUTH_AUDIENCES"));
        assertThat(get("WS_URL")).endsWith("/ws?authorization=" + get("DEV_TOKEN"));
    }

    /** Connects to WS_URL as printed (the dev token in it), pings, and sends a message to the messages queue. */
    void talksToTheGatewayWithTheDevToken() throws Exception {
        var frames = new java.util.concurrent.LinkedBlockingQueue<String>();
        var socket = java.net.http.HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create(get("WS_URL")), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(
                            java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                })
                .join();
        try {
            socket.sendText("{\"action\":\"ping\"}", true).join();
            var pong = JSON.readTree(frames.poll(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(pong.path("connectionId").asText()).isNotBlank();

            socket.sendText("{\"action\":\"send\",\"message\":{\"from\":\"the stack test\"}}", true)
                    .join();
            var queueUrl = get("MESSAGES_QUEUE_URL");
            Await.until(
                    "the sent message on " + queueUrl,
                    DEADLINE,
                    () -> sqs.receiveMessage(
                                    b -> b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10))
                            .messages(),
                    messages -> messages.stream().anyMatch(m -> m.body().contains("the stack test")));
        } finally {
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }

    /** The gateway's and the pusher's health is UP and their metrics are their own. */
    void seesBothServicesHealthyAndMetered() throws Exception {
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            for (var base : new String[] {get("MANAGEMENT_URL"), get("PUSHER_URL")}) {
                var health = http.send(
                        java.net.http.HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(base).isEqualTo(200);
                assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
            }
            var gateway = http.send(
                            java.net.http.HttpRequest.newBuilder(URI.create(get("MANAGEMENT_URL") + "/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            var pusher = http.send(
                            java.net.http.HttpRequest.newBuilder(URI.create(get("PUSHER_URL") + "/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(gateway).contains("switchboard_connections").doesNotContain("switchboard_pusher_");
            assertThat(pusher)
                    .contains("switchboard_pusher_messages_in_flight")
                    .doesNotContain("switchboard_connections");
        }
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
        sns.close();
    }

    private String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private <B extends AwsClientBuilder<B, C>, C> C client(B builder, String endpointKey) {
        return builder.endpointOverride(URI.create(get(endpointKey)))
                .region(Region.of(get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY"))))
                .build();
    }
}
