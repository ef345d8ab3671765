package dev.switchboard.pusher.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The queue a {@link QueueConsumer} reads: SQS ({@link SqsQueue}), or one in memory for tests. Messages are the SDK's
 * own value type.
 */
public interface NotificationQueue {
    /** For logs. */
    String url();

    /**
     * Receives up to {@code max} messages, waiting up to {@code wait} for the first (a long poll), each hidden for
     * {@code visibility}; completes exceptionally when the receive fails, and may be cancelled.
     */
    CompletableFuture<List<Message>> receive(int max, Duration wait, Duration visibility);

    /** Deletes up to 10 messages; completes with the ids not deleted and why, or exceptionally when the call failed. */
    CompletableFuture<Map<String, String>> delete(List<Message> messages);

    /** Changes up to 10 messages' visibility; the ids whose change failed. Never throws. */
    Set<String> changeVisibility(List<Message> messages, Duration visibility);

    /**
     * The dead-letter queue of this queue (its redrive policy); empty when it has none.
     *
     * @throws RuntimeException when it cannot be looked up now
     */
    Optional<String> deadLetterQueue();

    /**
     * Sends the message's body to {@code deadLetterQueue} with {@code reason} in the message attribute {@link
     * QueueConsumer#REFUSAL_ATTRIBUTE}.
     *
     * @throws RuntimeException when it was not sent
     */
    void deadLetter(String deadLetterQueue, Message message, String reason);
}
