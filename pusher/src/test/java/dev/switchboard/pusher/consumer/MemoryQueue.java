package dev.switchboard.pusher.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A queue in memory with SQS's visibility: a received message is hidden until its visibility runs out, unless it is
 * deleted or its visibility changed. Records what was deleted, dead-lettered and released. Thread-safe.
 */
final class MemoryQueue implements NotificationQueue {
    private record Held(Message message, long visibleAt) {}

    private final Map<String, Held> messages = new LinkedHashMap<>();
    private int sent;
    private int received;
    final List<String> deleted = new CopyOnWriteArrayList<>();
    final List<String> deadLettered = new CopyOnWriteArrayList<>();
    final List<String> released = new CopyOnWriteArrayList<>();
    volatile Optional<String> deadLetterQueue = Optional.of("memory://dead-letters");
    volatile boolean deadLetterQueueLookupFails;

    /** Puts a message in the queue; its id. */
    synchronized String send(String body) {
        var id = "m" + ++sent;
        messages.put(
                id,
                new Held(
                        Message.builder()
                                .messageId(id)
                                .receiptHandle(id)
                                .body(body)
                                .build(),
                        0));
        notifyAll();
        return id;
    }

    /** Messages received so far, redeliveries included. */
    synchronized int received() {
        return received;
    }

    @Override
    public String url() {
        return "memory://notifications";
    }

    @Override
    public CompletableFuture<List<Message>> receive(int max, Duration wait, Duration visibility) {
        return CompletableFuture.supplyAsync(
                () -> take(max, wait, visibility), Executors.newVirtualThreadPerTaskExecutor());
    }

    private synchronized List<Message> take(int max, Duration wait, Duration visibility) {
        var until = System.nanoTime() + wait.toNanos();
        while (true) {
            var now = System.nanoTime();
            var taken = new ArrayList<Message>();
            for (var held : List.copyOf(messages.values())) {
                if (taken.size() < max && held.visibleAt() <= now) {
                    taken.add(held.message());
                    messages.put(held.message().messageId(), new Held(held.message(), now + visibility.toNanos()));
                }
            }
            if (!taken.isEmpty() || now >= until) {
                received += taken.size();
                return taken;
            }
            try {
                // Woken by a send or a visibility change; else at the earliest a hidden message shows again.
                TimeUnit.NANOSECONDS.timedWait(
                        this, Math.min(until - now, Duration.ofMillis(20).toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    @Override
    public synchronized CompletableFuture<Map<String, String>> delete(List<Message> batch) {
        batch.forEach(m -> {
            messages.remove(m.messageId());
            deleted.add(m.messageId());
        });
        return CompletableFuture.completedFuture(Map.of());
    }

    @Override
    public synchronized Set<String> changeVisibility(List<Message> batch, Duration visibility) {
        var now = System.nanoTime();
        for (var message : batch) {
            if (messages.containsKey(message.messageId())) {
                messages.put(message.messageId(), new Held(message, now + visibility.toNanos()));
                if (visibility.isZero()) {
                    released.add(message.messageId());
                }
            }
        }
        notifyAll();
        return Set.of();
    }

    @Override
    public Optional<String> deadLetterQueue() {
        if (deadLetterQueueLookupFails) {
            throw new IllegalStateException("GetQueueAttributes failed");
        }
        return deadLetterQueue;
    }

    @Override
    public synchronized void deadLetter(String queue, Message message, String reason) {
        deadLettered.add(message.messageId() + ": " + reason);
    }
}
