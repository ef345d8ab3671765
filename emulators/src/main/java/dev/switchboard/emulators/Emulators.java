package dev.switchboard.emulators;

import dev.switchboard.emulators.issuer.JwtIssuer;
import dev.switchboard.emulators.sns.SnsEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every emulator, started together: dynalite (DynamoDB), ElasticMQ, the SNS emulator and the JWT issuer, with one SDK
 * client per service pointed at them. Thread-safe. {@link #close()} stops all of them and closes the clients.
 */
public final class Emulators implements AutoCloseable {
    /** The dummy credentials every client uses: dynalite keeps one database for every credential, so any would do. */
    public static final String ACCESS_KEY_ID = "local";

    public static final String SECRET_ACCESS_KEY = "local";

    /** Each start on a thread of its own: the common pool has one thread on two cores, which would serialize them. */
    private static final Executor OWN_THREAD =
            task -> Thread.ofPlatform().name("emulator-start").daemon().start(task);

    private static final ClientOverrideConfiguration TIMEOUTS = ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(30))
            .apiCallAttemptTimeout(Duration.ofSeconds(25))
            .build();

    private final EmulatorSettings settings;
    private final Optional<DynamoDbEmulator> dynamoDb;
    private final URI dynamoDbEndpoint;
    private final SqsEmulator sqs;
    private final SnsEmulator sns;
    private final JwtIssuer issuer;
    private final DynamoDbClient dynamoDbClient;
    private final SqsClient sqsClient;
    private final SnsClient snsClient;

    private Emulators(
            EmulatorSettings settings,
            Optional<DynamoDbEmulator> dynamoDb,
            SqsEmulator sqs,
            SnsEmulator sns,
            JwtIssuer issuer,
            SqsClient sqsClient) {
        this.settings = settings;
        this.dynamoDb = dynamoDb;
        this.dynamoDbEndpoint = dynamoDb.map(DynamoDbEmulator::endpoint)
                .orElseGet(() -> settings.externalDynamoDb().orElseThrow());
        this.sqs = sqs;
        this.sns = sns;
        this.issuer = issuer;
        this.sqsClient = sqsClient;
        this.dynamoDbClient = dynamoDb.isPresent()
                ? client(DynamoDbClient.builder(), dynamoDbEndpoint, settings)
                : externalClient(DynamoDbClient.builder(), dynamoDbEndpoint, settings);
        this.snsClient = client(SnsClient.builder(), sns.endpoint(), settings);
    }

    /**
     * Starts every emulator; the slow ones (dynalite, ElasticMQ) start in parallel. With {@link
     * EmulatorSettings#externalDynamoDb()} no dynalite starts: the DynamoDB client goes there instead.
     *
     * @throws EmulatorException naming the emulator that failed; those already started are stopped again
     */
    public static Emulators start(EmulatorSettings settings) {
        var started = new ArrayList<AutoCloseable>();
        var dynamoDbServer = CompletableFuture.supplyAsync(
                () -> settings.externalDynamoDb().isPresent()
                        ? Optional.<DynamoDbEmulator>empty()
                        : Optional.of(DynamoDbEmulator.start(settings.host(), settings.dynamoDbPort())),
                OWN_THREAD);
        var sqsServer = CompletableFuture.supplyAsync(
                () -> SqsEmulator.start(settings.host(), settings.sqsPort(), settings.region(), settings.accountId()),
                OWN_THREAD);
        try {
            var issuer = started(started, () -> JwtIssuer.start(settings.host(), settings.issuerPort()));
            var sqs = started(started, sqsServer::join);
            var sqsClient = started(started, () -> client(SqsClient.builder(), sqs.endpoint(), settings));
            var sns = started(
                    started,
                    () -> SnsEmulator.start(
                            settings.host(), settings.snsPort(), settings.region(), settings.accountId(), sqsClient));
            var dynamoDb = dynamoDbServer.join();
            return new Emulators(settings, dynamoDb, sqs, sns, issuer, sqsClient);
        } catch (RuntimeException e) {
            // Stop what did start, including a parallel start that finishes after the failure.
            var unusedDynamoDb = dynamoDbServer.thenAccept(server -> server.ifPresent(DynamoDbEmulator::close));
            var unusedSqs = sqsServer.thenAccept(SqsEmulator::close);
            started.removeIf(resource -> resource instanceof SqsEmulator);
            closeAll(started.reversed());
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static <T extends AutoCloseable> T started(List<AutoCloseable> started, Supplier<T> start) {
        var resource = start.get();
        started.add(resource);
        return resource;
    }

    /** An SDK client pointed at an emulator, with the dummy credentials and call timeouts. */
    public static <B extends AwsClientBuilder<B, C>, C> C client(B builder, URI endpoint, EmulatorSettings settings) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(settings.region()))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .overrideConfiguration(TIMEOUTS)
                .build();
    }

    /**
     * An SDK client for a DynamoDB that is not ours (real AWS, another emulator): the SDK's own credentials chain,
     * else the dummy credentials, with call timeouts.
     */
    private static <B extends AwsClientBuilder<B, C>, C> C externalClient(
            B builder, URI endpoint, EmulatorSettings settings) {
        var own = DefaultCredentialsProvider.builder().build();
        AwsCredentialsProvider credentials;
        try {
            own.resolveCredentials(); // resolved now: later system properties (the pusher's) must not change it
            credentials = own;
        } catch (SdkClientException e) {
            credentials =
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        }
        return builder.endpointOverride(endpoint)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .overrideConfiguration(TIMEOUTS)
                .build();
    }

    public EmulatorSettings settings() {
        return settings;
    }

    /** Where DynamoDB is: dynalite's endpoint, or the external one the settings named. */
    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    /** Whether DynamoDB is dynalite started here (not an external one). */
    public boolean ownDynamoDb() {
        return dynamoDb.isPresent();
    }

    public URI sqsEndpoint() {
        return sqs.endpoint();
    }

    public URI snsEndpoint() {
        return sns.endpoint();
    }

    public SnsEmulator sns() {
        return sns;
    }

    public JwtIssuer issuer() {
        return issuer;
    }

    public DynamoDbClient dynamoDbClient() {
        return dynamoDbClient;
    }

    public SqsClient sqsClient() {
        return sqsClient;
    }

    public SnsClient snsClient() {
        return snsClient;
    }

    @Override
    public void close() {
        var resources = new ArrayList<AutoCloseable>(List.of(snsClient, sns, dynamoDbClient, sqsClient, sqs));
        dynamoDb.ifPresent(resources::add);
        resources.add(issuer);
        closeAll(resources);
    }

    /** Closes each in the order given, even when one fails; the first failure is thrown, the others suppressed. */
    private static void closeAll(List<AutoCloseable> resources) {
        RuntimeException failure = null;
        for (var resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new EmulatorException("stopping the emulators", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
