package dev.switchboard.pusher.consumer;

import dev.switchboard.pusher.fanout.FanOut;
import dev.switchboard.pusher.metrics.PusherMetrics;
import dev.switchboard.pusher.metrics.PusherMetrics.MessageOutcome;
import dev.switchboard.pusher.metrics.PusherMetrics.PostOutcome;
import dev.switchboard.pusher.request.NotificationRequest;
import dev.switchboard.pusher.request.RequestParser;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Consumes the notifications queue: {@code pollers} long polls (up to 10 messages each), at most {@code maxInFlight}
 * messages in flight, each fanned out on its own virtual thread and settled on its own as soon as it is done — no
 * message waits for another of its batch, and a poller receives again as soon as there is room:
 *
 * <ul>
 *   <li>delivered (every target delivered or gone): deleted (deletes of messages done together travel in one
 *       batch);
 *   <li>refused (not a request): sent to the queue's dead-letter queue with the reason, then deleted;
 *   <li>failed (some target could not be reached after the retries): left alone, so SQS redelivers it after the
 *       visibility timeout and moves it to the dead-letter queue after maxReceiveCount receipts.
 * </ul>
 *
 * <p>While a message fans out, its visibility is extended whenever less than half of it is left. {@link #close()}
 * stops polling, lets in-flight messages finish until the deadline, and releases the rest (visibility 0) so another
 * pusher takes them at once: nothing is lost.
 */
public final class QueueConsumer implements AutoCloseable {
    /** The message attribute carrying why a message was dead-lettered by the pusher. */
    public static final String REFUSAL_ATTRIBUTE = "switchboard_refusal";

    private static final System.Logger LOG = System.getLogger(QueueConsumer.class.getName());
    private static final Duration DEAD_LETTER_QUEUE_RECHECK = Duration.ofMinutes(5);

    /** What becomes of one accepted request: {@link FanOut#fanOut(String, NotificationRequest)}. */
    public interface Handler {
        FanOut.Outcome handle(String id, NotificationRequest request) throws InterruptedException;
    }

    private final NotificationQueue queue;
    private final Duration visibility;
    private final Duration wait;
    private final Duration shutdownDeadline;
    private final int maxInFlight;
    private final Semaphore room;
    private final RequestParser parser;
    private final Handler fanOut;
    private final PusherMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Set<CompletableFuture<?>> polls = ConcurrentHashMap.newKeySet();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Messages given back to the queue at shutdown: a fan-out finishing later must not delete them. */
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("visibility-keeper").daemon().factory());
    private final List<Thread> pollers = new ArrayList<>();
    private final Deletions deletions;
    private volatile DeadLetterQueue deadLetterQueue = DeadLetterQueue.UNKNOWN;

    private static final class InFlight {
        final Message message;
        volatile long hiddenUntil;

        InFlight(Message message, long hiddenUntil) {
            this.message = message;
            this.hiddenUntil = hiddenUntil;
        }
    }

    /** The queue's dead-letter queue as last looked up: {@code checkedAt} 0 when the lookup failed or never ran. */
    private record DeadLetterQueue(Optional<String> url, long checkedAt) {
        static final DeadLetterQueue UNKNOWN = new DeadLetterQueue(Optional.empty(), 0);

        boolean known() {
            return checkedAt != 0 && System.nanoTime() - checkedAt < DEAD_LETTER_QUEUE_RECHECK.toNanos();
        }
    }

    private enum Disposition {
        DELETE,
        LEAVE
    }

    /** @param fanOut what becomes of each accepted request; its outcome settles the message */
    public QueueConsumer(
            NotificationQueue queue,
            Duration visibility,
            Duration wait,
            Duration shutdownDeadline,
            int maxInFlight,
            RequestParser parser,
            Handler fanOut,
            PusherMetrics metrics) {
        this.queue = queue;
        this.visibility = visibility;
        this.wait = wait;
        this.shutdownDeadline = shutdownDeadline;
        this.maxInFlight = maxInFlight;
        this.room = new Semaphore(maxInFlight);
        this.parser = parser;
        this.fanOut = fanOut;
        this.metrics = metrics;
        this.deletions = new Deletions(queue, released::contains, metrics);
    }

    public int inFlight() {
        return inFlight.size();
    }

    public boolean isRunning() {
        return running.get();
    }

    /** Looks up the dead-letter queue (the queue's redrive policy; again later if that fails) and starts polling. */
    public void start(int pollerCount) {
        var found = deadLetterQueue();
        running.set(true);
        var period = visibility.dividedBy(4).toMillis();
        var unused = keeper.scheduleAtFixedRate(this::extendVisibility, period, period, TimeUnit.MILLISECONDS);
        for (var i = 0; i < pollerCount; i++) {
            pollers.add(Thread.ofVirtual().name("poller-" + i).start(this::poll));
        }
        LOG.log(
                Level.INFO,
                "consuming queueUrl={0} pollers={1} maxInFlight={2} deadLetterQueueUrl={3}",
                queue.url(),
                String.valueOf(pollerCount),
                String.valueOf(maxInFlight),
                found.known() ? found.url().orElse("none") : "unknown yet");
    }

    private void poll() {
        while (running.get()) {
            var wanted = room(10);
            if (wanted == 0) {
                continue;
            }
            var receive = queue.receive(wanted, wait, visibility);
            polls.add(receive);
            List<Message> messages;
            try {
                messages = receive.join();
            } catch (CancellationException e) {
                room.release(wanted);
                return; // closing: a receive cut short leaves its messages invisible until the timeout, not lost
            } catch (CompletionException e) {
                room.release(wanted);
                if (running.get()) {
                    LOG.log(Level.WARNING, "receive failed queueUrl={0}: {1}", queue.url(), e.getCause());
                    pause();
                }
                continue;
            } finally {
                polls.remove(receive);
            }
            room.release(wanted - messages.size());
            if (!running.get()) {
                release(messages); // received while closing: straight back to the queue
                room.release(messages.size());
                continue;
            }
            var hiddenUntil = System.nanoTime() + visibility.toNanos();
            for (var message : messages) {
                inFlight.put(message.messageId(), new InFlight(message, hiddenUntil));
                Thread.ofVirtual().name("message-" + message.messageId()).start(() -> handle(message));
            }
        }
    }

    /**
     * Waits (a second at most) for room for a full receive — {@code most} messages, or all the room there is when
     * less is allowed in flight — and takes it: under load, receives stay full rather than one message each as
     * room frees up.
     */
    private int room(int most) {
        var wanted = Math.min(most, maxInFlight);
        try {
            if (!room.tryAcquire(wanted, 1, TimeUnit.SECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return 0;
        }
        return wanted;
    }

    /** Fans one message out and settles it: deleted when done, left for redelivery when not. */
    private void handle(Message message) {
        try {
            if (process(message) == Disposition.DELETE) {
                deletions.add(message);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "message handling failed messageId={0}", message.messageId(), e);
        } finally {
            inFlight.remove(message.messageId());
            room.release();
        }
    }

    private Disposition process(Message message) {
        return switch (parser.parse(message.body())) {
            case RequestParser.Refused(var reason) -> refuse(message, reason);
            case RequestParser.Accepted(var request) -> deliver(message, request);
        };
    }

    /** A request that can never be delivered: dead-lettered at once, with its reason (deleted once it is there). */
    private Disposition refuse(Message message, String reason) {
        metrics.message(MessageOutcome.REFUSED);
        LOG.log(Level.WARNING, "notification refused messageId={0}: {1}", message.messageId(), reason);
        return deadLetter(message, reason) ? Disposition.DELETE : Disposition.LEAVE;
    }

    private Disposition deliver(Message message, NotificationRequest request) {
        try {
            var outcome = fanOut.handle(message.messageId(), request);
            metrics.posts(PostOutcome.DELIVERED, outcome.delivered());
            metrics.posts(PostOutcome.GONE, outcome.gone());
            metrics.posts(PostOutcome.FAILED, outcome.failed());
            if (outcome.complete()) {
                metrics.message(MessageOutcome.DELIVERED);
                LOG.log(
                        Level.DEBUG,
                        "notification delivered messageId={0} targets={1} delivered={2} gone={3}",
                        message.messageId(),
                        outcome.targets(),
                        outcome.delivered(),
                        outcome.gone());
                return Disposition.DELETE;
            }
            metrics.message(MessageOutcome.RETRIED);
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
            metrics.message(MessageOutcome.RETRIED);
            LOG.log(
                    Level.WARNING,
                    "notification left for redelivery messageId={0}: {1}",
                    message.messageId(),
                    e.getMessage());
            return Disposition.LEAVE;
        }
    }

    /**
     * Sends a refused message to the dead-letter queue; true when it may be deleted from the queue. Left (false)
     * when the dead-letter queue cannot be looked up now: the message comes back, and the lookup is tried again.
     */
    private boolean deadLetter(Message message, String reason) {
        var found = deadLetterQueue.known() ? deadLetterQueue : deadLetterQueue();
        if (!found.known()) {
            LOG.log(
                    Level.WARNING,
                    "notification left for redelivery messageId={0}: the dead-letter queue could not be looked up",
                    message.messageId());
            return false;
        }
        if (found.url().isEmpty()) {
            LOG.log(
                    Level.ERROR,
                    "notification dropped: the queue has no dead-letter queue messageId={0}",
                    message.messageId());
            return true;
        }
        try {
            queue.deadLetter(found.url().get(), message, reason);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dead-lettering failed messageId={0}: {1}", message.messageId(), e.getMessage());
            return false;
        }
    }

    /** Keeps in-flight messages invisible while their fan-out runs: extended when less than half is left. */
    private void extendVisibility() {
        var now = System.nanoTime();
        var extending = inFlight.values().stream()
                .filter(f -> !released.contains(f.message.messageId())
                        && f.hiddenUntil - now < visibility.dividedBy(2).toNanos())
                .toList();
        var failed = changeVisibility(extending.stream().map(f -> f.message).toList(), visibility);
        extending.stream()
                .filter(f -> !failed.contains(f.message.messageId()))
                .forEach(f -> f.hiddenUntil = now + visibility.toNanos());
    }

    /** Changes the messages' visibility, ten at a time; answers the ids whose change failed. */
    private Set<String> changeVisibility(List<Message> messages, Duration to) {
        var failed = new HashSet<String>();
        for (var from = 0; from < messages.size(); from += 10) {
            failed.addAll(queue.changeVisibility(messages.subList(from, Math.min(messages.size(), from + 10)), to));
        }
        return failed;
    }

    /** Looks the dead-letter queue up (the queue's redrive policy), remembering what it found for a while. */
    private DeadLetterQueue deadLetterQueue() {
        try {
            deadLetterQueue = new DeadLetterQueue(queue.deadLetterQueue(), System.nanoTime());
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "dead-letter queue not looked up queueUrl={0} (tried again at the next refusal): {1}",
                    queue.url(),
                    e.getCause() != null ? e.getCause() : e);
        }
        return deadLetterQueue;
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofSeconds(1)); // backing off after a failed receive
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops polling: each poller finishes its current long poll (releasing whatever it brings); in-flight messages
     * may finish until the shutdown deadline; those still in flight then are released to the queue (visibility 0),
     * so that another consumer takes them at once. A long poll still open at the deadline is cancelled: what it
     * would have received comes back after the visibility timeout.
     */
    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        var deadline = System.nanoTime() + shutdownDeadline.toNanos();
        try {
            for (var poller : pollers) {
                if (!poller.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    break;
                }
            }
            // All the room back: nothing in flight any more.
            if (room.tryAcquire(maxInFlight, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                room.release(maxInFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        polls.forEach(poll -> poll.cancel(true));
        var unfinished = inFlight.values().stream().map(f -> f.message).toList();
        release(unfinished);
        deletions.close();
        keeper.shutdownNow();
        LOG.log(Level.INFO, "consumer stopped queueUrl={0} released={1}", queue.url(), unfinished.size());
    }

    /** Gives messages back to the queue at once (visibility 0); their fan-outs, if still running, will not delete. */
    private void release(List<Message> messages) {
        messages.forEach(m -> released.add(m.messageId()));
        changeVisibility(messages, Duration.ZERO);
        messages.forEach(m -> metrics.message(MessageOutcome.RELEASED));
    }
}
