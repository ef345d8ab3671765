package dev.switchboard.pusher.fanout;

import dev.switchboard.registry.Target;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Posts a notification's data to connections through the API Gateway Management API: the real async client, one
 * per endpoint (each connection's node, or the one fixed endpoint of a real API Gateway), over one shared HTTP
 * client, with bounded concurrency per endpoint and in total. Transient failures are retried by the SDK's standard
 * strategy (exponential backoff with jitter, {@code attempts} tries); 410 Gone is not a failure. Thread-safe.
 */
public final class Delivery implements Posts, AutoCloseable {
    private final SdkAsyncHttpClient http;
    private final Map<String, ApiGatewayManagementApiAsyncClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> perEndpoint = new ConcurrentHashMap<>();
    private final Semaphore total;
    private final int endpointConcurrency;
    private final Optional<URI> fixedEndpoint;
    private final ClientOverrideConfiguration override;

    /**
     * @param fixedEndpoint when present, every post goes there instead of to the connection's node
     */
    public Delivery(
            int concurrency,
            int endpointConcurrency,
            int attempts,
            Duration attemptTimeout,
            Optional<URI> fixedEndpoint) {
        this.http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(concurrency)
                .connectionTimeout(Duration.ofSeconds(2))
                .build();
        this.total = new Semaphore(concurrency);
        this.endpointConcurrency = endpointConcurrency;
        this.fixedEndpoint = fixedEndpoint;
        this.override = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(attemptTimeout)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(attempts)
                        .backoffStrategy(
                                BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(2)))
                        .circuitBreakerEnabled(false)
                        .build())
                .build();
    }

    @Override
    public boolean throughApiGateway() {
        return fixedEndpoint.isPresent();
    }

    @Override
    public Report deliver(Collection<Target> targets, String data) throws InterruptedException {
        var bytes = SdkBytes.fromUtf8String(data);
        var delivered = new AtomicInteger();
        var failed = new AtomicInteger();
        var gone = new ConcurrentHashMap<String, Boolean>();
        var firstFailure = new AtomicReference<String>();
        var posts = new ArrayList<CompletableFuture<?>>(targets.size());
        for (var target : targets) {
            var endpoint = fixedEndpoint.map(URI::toString).orElse(target.endpoint());
            var endpointLimit = perEndpoint.computeIfAbsent(endpoint, e -> new Semaphore(endpointConcurrency));
            endpointLimit.acquire();
            try {
                total.acquire();
            } catch (InterruptedException e) {
                endpointLimit.release();
                throw e;
            }
            CompletableFuture<?> post;
            try {
                post = client(endpoint).postToConnection(b -> b.connectionId(target.connectionId())
                        .data(bytes));
            } catch (RuntimeException e) {
                post = CompletableFuture.failedFuture(e);
            }
            posts.add(post.whenComplete((response, error) -> {
                total.release();
                endpointLimit.release();
                var cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause == null) {
                    delivered.incrementAndGet();
                } else if (cause instanceof GoneException) {
                    gone.put(target.connectionId(), Boolean.TRUE);
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, endpoint + ": " + cause.getMessage());
                }
            }));
        }
        try {
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // Every post's outcome is already counted by its own handler.
        }
        return new Report(
                delivered.get(), List.copyOf(gone.keySet()), failed.get(), Optional.ofNullable(firstFailure.get()));
    }

    private ApiGatewayManagementApiAsyncClient client(String endpoint) {
        return clients.computeIfAbsent(endpoint, e -> ApiGatewayManagementApiAsyncClient.builder()
                .endpointOverride(URI.create(e))
                .httpClient(http)
                .overrideConfiguration(override)
                .build());
    }

    @Override
    public void close() {
        clients.values().forEach(ApiGatewayManagementApiAsyncClient::close);
        http.close();
    }
}
