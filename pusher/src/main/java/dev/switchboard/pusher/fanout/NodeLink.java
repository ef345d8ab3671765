package dev.switchboard.pusher.fanout;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The way to one gateway node: requests queue here and travel together, up to {@link #MAX_REQUESTS} (or {@link
 * #MAX_BYTES}) in one {@code POST /@deliveries}, at most {@link #POSTS_IN_FLIGHT} posts at once — so a burst of
 * messages costs a node a few posts, not one each. A node that fails or does not answer within the timeout is tried
 * again, up to the attempts; a request that has waited for this node longer than its budget (attempts × timeout)
 * is answered {@link Answer.Unreached} without being sent. Nothing here waits on another node: each node has its
 * own queue, so a slow node delays only its own deliveries. Thread-safe.
 */
final class NodeLink {
    static final int MAX_REQUESTS = 100;
    static final int MAX_BYTES = 1 << 20;
    static final int POSTS_IN_FLIGHT = 4;

    /** What a node answered for one request. */
    sealed interface Answer {
        /** Handed to {@code delivered} connections' outbound paths; {@code closed} were closed as too slow. */
        record Delivered(int delivered, int closed) implements Answer {}

        /** The node refused the request (for example, too large a frame): it comes back, and in the end dead-letters. */
        record Refused(String error) implements Answer {}

        /** The node could not be reached, failed or did not answer in time. */
        record Unreached(String reason) implements Answer {}
    }

    private record Pending(String id, String json, long deadline, int attempts, CompletableFuture<Answer> answer) {
        Pending again() {
            return new Pending(id, json, deadline, attempts + 1, answer);
        }
    }

    private final URI uri;
    private final HttpClient http;
    private final Duration timeout;
    private final int attempts;
    private final ObjectMapper json;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int posts;

    NodeLink(String endpoint, HttpClient http, Duration timeout, int attempts, ObjectMapper json) {
        this.uri = URI.create(endpoint + "/@deliveries");
        this.http = http;
        this.timeout = timeout;
        this.attempts = attempts;
        this.json = json;
    }

    /** Queues one request (its JSON as the node contract has it) for this node; the answer completes, never fails. */
    CompletableFuture<Answer> send(String id, String requestJson) {
        var answer = new CompletableFuture<Answer>();
        var budget = timeout.multipliedBy(attempts).plus(timeout); // the last attempt may wait in the queue first
        synchronized (this) {
            queue.add(new Pending(id, requestJson, System.nanoTime() + budget.toNanos(), 1, answer));
        }
        pump();
        return answer;
    }

    /** True when nothing is queued or on its way: the link may be dropped. */
    synchronized boolean idle() {
        return queue.isEmpty() && posts == 0;
    }

    /** Starts posts while there is room and something to send. */
    private void pump() {
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                if (posts >= POSTS_IN_FLIGHT || queue.isEmpty()) {
                    return;
                }
                batch = take();
                if (batch.isEmpty()) {
                    continue;
                }
                posts++;
            }
            post(batch);
        }
    }

    /** The next batch from the queue (the lock held); requests past their budget are answered, not sent. */
    private List<Pending> take() {
        var batch = new ArrayList<Pending>();
        var bytes = 0;
        var now = System.nanoTime();
        while (!queue.isEmpty() && batch.size() < MAX_REQUESTS) {
            var next = queue.peek();
            if (now - next.deadline() > 0) {
                queue.poll();
                next.answer().complete(new Answer.Unreached("no answer within " + timeout + " × " + attempts));
                continue;
            }
            if (!batch.isEmpty() && bytes + next.json().length() > MAX_BYTES) {
                break;
            }
            bytes += next.json().length();
            batch.add(queue.poll());
        }
        return batch;
    }

    private void post(List<Pending> batch) {
        var body = new StringBuilder(
                        64 + batch.stream().mapToInt(p -> p.json().length() + 1).sum())
                .append("{\"requests\":[");
        for (var i = 0; i < batch.size(); i++) {
            body.append(i == 0 ? "" : ",").append(batch.get(i).json());
        }
        body.append("]}");
        var request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            try {
                if (failure != null) {
                    retry(batch, reason(failure));
                } else if (response.statusCode() != 200) {
                    retry(batch, "answered " + response.statusCode() + ": " + abbreviated(response.body()));
                } else {
                    settle(batch, response.body());
                }
            } finally {
                synchronized (this) {
                    posts--;
                }
                pump();
            }
        });
    }

    /** Completes each request of the batch from the node's results, in the requests' order. */
    private void settle(List<Pending> batch, String body) {
        try {
            var results = json.readTree(body).path("results");
            if (results.size() != batch.size()) {
                retry(batch, "answered " + results.size() + " results for " + batch.size() + " requests");
                return;
            }
            for (var i = 0; i < batch.size(); i++) {
                var result = results.get(i);
                batch.get(i)
                        .answer()
                        .complete(
                                result.has("error")
                                        ? new Answer.Refused(
                                                result.path("error").asText())
                                        : new Answer.Delivered(
                                                result.path("delivered").asInt(),
                                                result.path("closed").asInt()));
            }
        } catch (JacksonException e) {
            retry(batch, "answered what is not JSON: " + e.getOriginalMessage());
        }
    }

    /** Queues the batch's requests again, at the front, those with attempts left; answers the others. */
    private void retry(List<Pending> batch, String reason) {
        synchronized (this) {
            for (var i = batch.size() - 1; i >= 0; i--) {
                var pending = batch.get(i);
                if (pending.attempts() < attempts) {
                    queue.addFirst(pending.again());
                } else {
                    pending.answer().complete(new Answer.Unreached(uri.getAuthority() + ": " + reason));
                }
            }
        }
    }

    private static String reason(Throwable failure) {
        var cause = failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String abbreviated(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
