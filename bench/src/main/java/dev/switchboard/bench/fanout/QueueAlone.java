package dev.switchboard.bench.fanout;

import dev.switchboard.bench.Measure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The reference for the fan-out benchmark: the queue (ElasticMQ) alone, driven the way the pusher drives it —
 * {@code receivers} long polls of up to 10 messages, each batch deleted — with nothing behind it. Its ceiling
 * (messages received and deleted per second, the queue full) bounds what any consumer can do on this machine; its
 * SendMessage → ReceiveMessage latency at a paced rate is what our end-to-end latency adds to.
 */
final class QueueAlone {
    private static final Duration STALL = Duration.ofSeconds(10);

    private QueueAlone() {}

    /** Messages received and deleted per second from a queue holding {@code messages}. */
    static double ceiling(SqsAsyncClient sqs, String queueUrl, int messages, int receivers)
            throws InterruptedException {
        var sends = new ArrayList<CompletableFuture<?>>();
        for (var from = 0; from < messages; from += 10) {
            var batch = new ArrayList<SendMessageBatchRequestEntry>();
            for (var i = from; i < Math.min(messages, from + 10); i++) {
                batch.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody("{\"data\":" + i + "}")
                        .build());
            }
            sends.add(sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        var received = new AtomicLong();
        var last = new AtomicLong();
        var start = System.nanoTime();
        try (var consumers = new Consumers(sqs, queueUrl, receivers, batch -> {
            received.addAndGet(batch.size());
            last.set(System.nanoTime());
        })) {
            Measure.awaitCount(messages, received, STALL);
        }
        return received.get() / ((last.get() - start) / 1e9);
    }

    /** SendMessage → ReceiveMessage latencies (sorted, nanoseconds) of messages sent one by one at a paced rate. */
    static long[] latencies(SqsAsyncClient sqs, String queueUrl, int messages, double perSecond, int receivers)
            throws InterruptedException {
        var latencies = new long[messages];
        var count = new AtomicLong();
        try (var consumers = new Consumers(sqs, queueUrl, receivers, batch -> {
            var at = System.nanoTime();
            for (var message : batch) {
                var i = (int) count.getAndIncrement();
                if (i < messages) {
                    latencies[i] = at - Long.parseLong(message.body());
                }
            }
        })) {
            var interval = (long) (1e9 / perSecond);
            var start = System.nanoTime();
            var sends = new ArrayList<CompletableFuture<?>>();
            for (var i = 0; i < messages; i++) {
                LockSupport.parkNanos(start + interval * i - System.nanoTime()); // pacing
                sends.add(sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Long.toString(System.nanoTime()))));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
            Measure.awaitCount(messages, count, STALL);
        }
        var received = (int) Math.min(messages, count.get());
        var sorted = Arrays.copyOf(latencies, received);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Long polls that hand each batch received to {@code batches}, then delete it. */
    private static final class Consumers implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Consumers(SqsAsyncClient sqs, String queueUrl, int receivers, Consumer<List<Message>> batches) {
            for (var r = 0; r < receivers; r++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                                        .maxNumberOfMessages(10)
                                        .waitTimeSeconds(1))
                                .join()
                                .messages();
                        if (messages.isEmpty()) {
                            continue;
                        }
                        batches.accept(messages);
                        sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl)
                                        .entries(messages.stream()
                                                .map(m -> DeleteMessageBatchRequestEntry.builder()
                                                        .id(m.messageId())
                                                        .receiptHandle(m.receiptHandle())
                                                        .build())
                                                .toList()))
                                .join();
                    }
                }));
            }
        }

        @Override
        public void close() {
            running.set(false); // each long poll (1 s) ends on its own; the threads are virtual and left to finish
        }
    }
}
