package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Concurrent small writes share BatchWriteItem calls ({@link Grouped} as {@link Batches} uses it): against the emulators' DynamoDB, with the SDK's own
 * interceptor holding the first call until the others have queued, and counting the calls.
 */
@ExtendWith(EmulatorsExtension.class)
class GroupedIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Counts BatchWriteItem calls and holds each one, while {@code hold} is up, until it is released. */
    private static final class Gate implements ExecutionInterceptor {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger items = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean hold = true;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof BatchWriteItemRequest batch) {
                calls.incrementAndGet();
                items.addAndGet(batch.requestItems().values().stream()
                        .mapToInt(List::size)
                        .sum());
                if (hold) {
                    try {
                        release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    private static DynamoDbClient client(Emulators emulators, Gate gate) {
        return DynamoDbClient.builder()
                .endpointOverride(emulators.dynamoDbEndpoint())
                .region(Region.of(emulators.settings().region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(gate).apiCallTimeout(DEADLINE.multipliedBy(2)))
                .build();
    }

    /** A table of the test's own. */
    private static RegistrySettings table(Emulators emulators, TestNames names) {
        var settings = RegistrySettings.of(names.unique("grouped"));
        RegistryTable.create(emulators.dynamoDbClient(), settings);
        return settings;
    }

    /** Grouped writes through the gate, with one call in flight, so that a held call makes the others wait. */
    private static Grouped<WriteRequest> grouped(
            Emulators emulators, Gate gate, RegistrySettings settings, Operation operation) {
        var batches = new Batches(client(emulators, gate), settings.table(), new CapacityMeter());
        return new Grouped<>(
                Batches.MAX_BATCH,
                1,
                request -> String.valueOf(request.putRequest().item().get(Items.PK))
                        + String.valueOf(request.putRequest().item().get(Items.SK)),
                items -> {
                    batches.write(operation, items);
                    return Map.of();
                });
    }

    private static WriteRequest put(String pk, String sk, String value) {
        var item = new HashMap<>(Items.key(pk, sk));
        item.put("value", AttributeValue.fromS(value));
        return Batches.put(item);
    }

    @Test
    void writersWaitingWhileACallIsInFlightShareTheNextCalls(Emulators emulators, TestNames names) throws Exception {
        var settings = table(emulators, names);
        var gate = new Gate();
        var grouped = grouped(emulators, gate, settings, Operation.WRITE_REGISTER);
        var writers = Executors.newVirtualThreadPerTaskExecutor();
        var done = new ArrayList<CompletableFuture<Void>>();
        try {
            // The first writer's call is held; 20 more queue behind it, 2 items each.
            done.add(CompletableFuture.runAsync(
                    () -> grouped.send(List.of(put("conn#0", "a", "0"), put("conn#0", "b", "0"))), writers));
            Await.until("the first call", DEADLINE, gate.calls::get, n -> n == 1);
            for (var i = 1; i <= 20; i++) {
                var id = "conn#" + i;
                done.add(CompletableFuture.runAsync(
                        () -> grouped.send(List.of(put(id, "a", id), put(id, "b", id))), writers));
            }
            Await.until("20 writers waiting", DEADLINE, grouped::waiting, n -> n == 20);
            gate.hold = false;
            gate.release.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
        }

        // 42 items: the held call's 2, then 40 in calls of at most 25 (12 writers, then 8).
        assertThat(gate.items.get()).isEqualTo(42);
        assertThat(gate.calls.get()).isEqualTo(3);
        var table = emulators.dynamoDbClient().scanPaginator(b -> b.tableName(settings.table())).items().stream()
                .toList();
        assertThat(table).hasSize(42);
    }

    @Test
    void writesOfOneKeyGoInSeparateCallsInOrderAndAFailedCallFailsEveryWriterInIt(Emulators emulators, TestNames names)
            throws Exception {
        var settings = table(emulators, names);
        var gate = new Gate();
        var grouped = grouped(emulators, gate, settings, Operation.WRITE_SUBSCRIBE);
        var writers = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<Void> older;
        CompletableFuture<Void> newer;
        CompletableFuture<Void> bad;
        try {
            var first = CompletableFuture.runAsync(() -> grouped.send(List.of(put("topic#t", "x", "held"))), writers);
            Await.until("the first call", DEADLINE, gate.calls::get, n -> n == 1);
            // Queued in this order: the same key twice, then an item without its sort key (DynamoDB refuses the
            // whole call it is in). The second write of the key cannot share the first's call, so the calls are
            // [older] and [newer, bad].
            older = CompletableFuture.runAsync(() -> grouped.send(List.of(put("topic#t", "y", "older"))), writers);
            Await.until("one waiting", DEADLINE, grouped::waiting, n -> n == 1);
            newer = CompletableFuture.runAsync(() -> grouped.send(List.of(put("topic#t", "y", "newer"))), writers);
            Await.until("two waiting", DEADLINE, grouped::waiting, n -> n == 2);
            bad = CompletableFuture.runAsync(
                    () -> grouped.send(List.of(Batches.put(Map.of(
                            Items.PK, AttributeValue.fromS("topic#t"), "value", AttributeValue.fromS("no sk"))))),
                    writers);
            Await.until("three waiting", DEADLINE, grouped::waiting, n -> n == 3);
            gate.hold = false;
            gate.release.countDown();
            CompletableFuture.allOf(first, older).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            for (var failed : List.of(newer, bad)) {
                assertThatThrownBy(() -> failed.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                        .hasCauseInstanceOf(RegistryException.class);
            }
        } finally {
            writers.shutdownNow();
        }

        assertThat(gate.calls.get()).isEqualTo(3);
        var item = emulators
                .dynamoDbClient()
                .getItem(b -> b.tableName(settings.table()).key(Items.key("topic#t", "y")))
                .item();
        assertThat(item.get("value").s()).isEqualTo("older");
        // A call after the failed one works: the writers are not stuck.
        grouped.send(List.of(put("topic#t", "y", "again")));
        assertThat(emulators
                        .dynamoDbClient()
                        .getItem(b -> b.tableName(settings.table()).key(Items.key("topic#t", "y")))
                        .item()
                        .get("value")
                        .s())
                .isEqualTo("again");
    }
}
