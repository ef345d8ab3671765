package dev.switchboard.pusher.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.pusher.PusherMetrics;
import dev.switchboard.pusher.fanout.FanOut;
import dev.switchboard.pusher.request.RequestParser;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Consumes the notifications queue: {@code pollers} long polls (20 s, up to 10 messages), each message fanned out on
 * its own virtual thread, its visibility extended while the fan-out runs, and then:
 *
 * <ul>
 *   <li>delivered (every target delivered, gone or stale): deleted, in batches;
 *   <li>refused (not a request): sent to the queue's dead-letter queue with the reason, then deleted;
 *   <li>failed (some target could not be reached after the retries): left alone, so SQS redelivers it after the
 *       visibility timeout and moves it to the dead-letter queue after maxReceiveCount receipts.
 * </ul>
 *
 * <p>{@link #close()} stops polling, lets in-flight messages finish until the deadline, and releases the rest
 * (visibility 0) so another pusher takes them at once: nothing is lost.
 */
public final class QueueConsumer implements AutoCloseable {
    /** The message attribute carrying why a message was dead-lettered by the pusher. */
    public static final String REFUSAL_ATTRIBUTE = "switchboard_refusal";

    private static final System.Logger LOG = System.getLogger(QueueConsumer.class.getName());

    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final Duration visibility;
    private final int waitSeconds;
    private final Duration shutdownDeadline;
    private final RequestParser parser;
    private final FanOut fanOut;
    private final PusherMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Set<CompletableFuture<?>> polls = ConcurrentHashMap.newKeySet();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Messages given back to the queue at shutdown: a fan-out finishing later must not delete them. */
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("visibility-keeper").daemon().factory());
    private final List<Thread> pollers = new ArrayList<>();
    private volatile Optional<String> deadLetterQueueUrl = Optional.empty();

    private static final class InFlight {
        final Message message;
        final long receivedAt = System.nanoTime();

        InFlight(Message message) {
            this.message = message;
        }
    }

    private enum Disposition {
        DELETE,
        LEAVE
    }

    public QueueConsumer(
            SqsAsyncClient sqs,
            String queueUrl,
            Duration visibility,
            Duration wait,
            Duration shutdownDeadline,
            RequestParser parser,
            FanOut fanOut,
            PusherMetrics metrics) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.visibility = visibility;
        this.waitSeconds = (int) wait.toSeconds();
        this.shutdownDeadline = shutdownDeadline;
        this.parser = parser;
        this.fanOut = fanOut;
        this.metrics = metrics;
    }

    public int inFlight() {
        return inFlight.size();
    }

    public boolean isRunning() {
        return running.get();
    }

    /** Finds the dead-letter queue (the queue's redrive policy) and starts polling. */
    public void start(int pollerCount) {
        deadLetterQueueUrl = deadLetterQueue();
        running.set(true);
        var period = visibility.dividedBy(2).toMillis();
        var unused = keeper.scheduleAtFixedRate(this::extendVisibility, period, period, TimeUnit.MILLISECONDS);
        for (var i = 0; i < pollerCount; i++) {
            pollers.add(Thread.ofVirtual().name("poller-" + i).start(this::poll));
        }
        LOG.log(
                Level.INFO,
                "consuming queueUrl={0} pollers={1} deadLetterQueueUrl={2}",
                queueUrl,
                String.valueOf(pollerCount),
                deadLetterQueueUrl.orElse("none"));
    }

    private void poll() {
        while (running.get()) {
            var receive = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(waitSeconds)
                    .visibilityTimeout((int) visibility.toSeconds())
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            polls.add(receive);
            List<Message> messages;
            try {
                messages = receive.join().messages();
            } catch (CancellationException e) {
                return; // closing: a receive cut short leaves its messages invisible until the timeout, not lost
            } catch (CompletionException e) {
                if (running.get()) {
                    LOG.log(Level.WARNING, "receive failed queueUrl={0}: {1}", queueUrl, e.getCause());
                    pause();
                }
                continue;
            } finally {
                polls.remove(receive);
            }
            if (!running.get()) {
                release(messages); // received while closing: straight back to the queue
            } else if (!messages.isEmpty()) {
                handle(messages);
            }
        }
    }

    private void handle(List<Message> messages) {
        var deletes = new ArrayList<Message>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new ArrayList<Future<Disposition>>();
            for (var message : messages) {
                var entry = new InFlight(message);
                inFlight.put(message.messageId(), entry);
                results.add(threads.submit(() -> {
                    try {
                        return process(message);
                    } finally {
                        inFlight.remove(message.messageId());
                    }
                }));
            }
            for (var i = 0; i < messages.size(); i++) {
                try {
                    if (results.get(i).get() == Disposition.DELETE) {
                        deletes.add(messages.get(i));
                    }
                } catch (ExecutionException e) {
                    LOG.log(
                            Level.ERROR,
                            "message handling failed messageId={0}",
                            messages.get(i).messageId(),
                            e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(deletes);
    }

    private Disposition process(Message message) {
        var parsed = parser.parse(message.body());
        if (parsed instanceof RequestParser.Refused(var reason)) {
            metrics.message("refused");
            LOG.log(Level.WARNING, "notification refused messageId={0}: {1}", message.messageId(), reason);
            return deadLetter(message, reason) ? Disposition.DELETE : Disposition.LEAVE;
        }
        var request = ((RequestParser.Accepted) parsed).request();
        try {
            var outcome = fanOut.fanOut(message.messageId(), request);
            metrics.posts("delivered", outcome.delivered());
            metrics.posts("gone", outcome.gone());
            metrics.posts("stale", outcome.stale());
            metrics.posts("failed", outcome.failed());
            if (outcome.complete()) {
                metrics.message("delivered");
                LOG.log(
                        Level.DEBUG,
                        "notification delivered messageId={0} targets={1} delivered={2} gone={3}",
                        message.messageId(),
                        outcome.targets(),
                        outcome.delivered(),
                        outcome.gone());
                return Disposition.DELETE;
            }
            metrics.message("retried");
            LOG.log(
                    Level.WARNING,
                    "notification left for redelivery messageId={0} receiveCount={1} failed={2} of {3}: {4}",
                    message.messageId(),
                    message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT),
                    outcome.failed(),
                    outcome.targets(),
                    outcome.failure().orElse(""));
            return Disposition.LEAVE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Disposition.LEAVE;
        } catch (RuntimeException e) {
            metrics.message("retried");
            LOG.log(
                    Level.WARNING,
                    "notification left for redelivery messageId={0}: {1}",
                    message.messageId(),
                    e.getMessage());
            return Disposition.LEAVE;
        }
    }

    /** Sends a refused message to the dead-letter queue; true when it may be deleted from the queue. */
    private boolean deadLetter(Message message, String reason) {
        if (deadLetterQueueUrl.isEmpty()) {
            LOG.log(
                    Level.ERROR,
                    "notification dropped: the queue has no dead-letter queue messageId={0}",
                    message.messageId());
            return true;
        }
        try {
            sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl.get())
                            .messageBody(message.body())
                            .messageAttributes(Map.of(
                                    REFUSAL_ATTRIBUTE,
                                    MessageAttributeValue.builder()
                                            .dataType("String")
                                            .stringValue(reason.length() > 1000 ? reason.substring(0, 1000) : reason)
                                            .build())))
                    .join();
            return true;
        } catch (CompletionException e) {
            LOG.log(Level.WARNING, "dead-lettering failed messageId={0}: {1}", message.messageId(), e.getCause());
            return false;
        }
    }

    private void delete(List<Message> messages) {
        var entries = messages.stream()
                .filter(m -> !released.contains(m.messageId()))
                .map(m -> DeleteMessageBatchRequestEntry.builder()
                        .id(m.messageId())
                        .receiptHandle(m.receiptHandle())
                        .build())
                .toList();
        if (entries.isEmpty()) {
            return;
        }
        try {
            var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                    .join();
            for (var failure : response.failed()) {
                metrics.deleteFailed();
                LOG.log(
                        Level.WARNING,
                        "delete failed messageId={0}: {1} (it will be delivered again)",
                        failure.id(),
                        failure.message());
            }
        } catch (CompletionException e) {
            entries.forEach(entry -> metrics.deleteFailed());
            LOG.log(Level.WARNING, "delete batch failed: {0} (its messages will be delivered again)", e.getCause());
        }
    }

    /** Keeps in-flight messages invisible while their fan-out runs. */
    private void extendVisibility() {
        var entries = inFlight.values().stream()
                .filter(f -> !released.contains(f.message.messageId())
                        && System.nanoTime() - f.receivedAt
                                > visibility.dividedBy(2).toNanos())
                .map(f -> ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(f.message.messageId())
                        .receiptHandle(f.message.receiptHandle())
                        .visibilityTimeout((int) visibility.toSeconds())
                        .build())
                .toList();
        changeVisibility(entries);
    }

    private void changeVisibility(List<ChangeMessageVisibilityBatchRequestEntry> entries) {
        for (var from = 0; from < entries.size(); from += 10) {
            var batch = entries.subList(from, Math.min(entries.size(), from + 10));
            try {
                var response = sqs.changeMessageVisibilityBatch(
                                b -> b.queueUrl(queueUrl).entries(batch))
                        .join();
                response.failed()
                        .forEach(f -> LOG.log(
                                Level.WARNING, "visibility not changed messageId={0}: {1}", f.id(), f.message()));
            } catch (CompletionException e) {
                LOG.log(Level.WARNING, "visibility change failed: {0}", e.getCause());
            }
        }
    }

    private Optional<String> deadLetterQueue() {
        try {
            var policy = sqs.getQueueAttributes(
                            b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                    .join()
                    .attributes()
                    .get(QueueAttributeName.REDRIVE_POLICY);
            if (policy == null) {
                return Optional.empty();
            }
            var arn = new ObjectMapper()
                    .readTree(policy)
                    .path("deadLetterTargetArn")
                    .asText();
            var name = arn.substring(arn.lastIndexOf(':') + 1);
            return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).join().queueUrl());
        } catch (CompletionException | JsonProcessingException e) {
            LOG.log(Level.WARNING, "dead-letter queue unknown queueUrl={0}: {1}", queueUrl, e);
            return Optional.empty();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofSeconds(1)); // backing off after a failed receive
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops polling: each poller finishes its current long poll (releasing whatever it brings) and its current
     * messages, until the shutdown deadline; messages still in flight then are released to the queue (visibility
     * 0), so that another consumer takes them at once. A long poll still open at the deadline is cancelled: what it
     * would have received comes back after the visibility timeout.
     */
    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        var deadline = System.nanoTime() + shutdownDeadline.toNanos();
        for (var poller : pollers) {
            try {
                if (!poller.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        polls.forEach(poll -> poll.cancel(true));
        var unfinished = inFlight.values().stream().map(f -> f.message).toList();
        release(unfinished);
        keeper.shutdownNow();
        LOG.log(Level.INFO, "consumer stopped queueUrl={0} released={1}", queueUrl, unfinished.size());
    }

    /** Gives messages back to the queue at once (visibility 0); their fan-outs, if still running, will not delete. */
    private void release(List<Message> messages) {
        messages.forEach(m -> released.add(m.messageId()));
        changeVisibility(messages.stream()
                .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(m.messageId())
                        .receiptHandle(m.receiptHandle())
                        .visibilityTimeout(0)
                        .build())
                .toList());
        messages.forEach(m -> metrics.message("released"));
    }
}
