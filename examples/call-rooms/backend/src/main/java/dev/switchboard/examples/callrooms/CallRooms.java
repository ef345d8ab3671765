package dev.switchboard.examples.callrooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The call-rooms example's backend. Clients talk to it with {@code {"action":"send","message":…}}, which the gateway
 * puts on the messages queue with the sender's verified {@code user_id}; it answers each user with a notification
 * request on the notifications queue, which the pusher delivers. What it takes:
 *
 * <ul>
 *   <li>{@code {"callrooms":"create","room":R}}: the sender becomes R's admin; R gets a secret topic, known only to
 *       those let in, and expires after {@code ttl}. Answer: {@code created} with the topic.
 *   <li>{@code {"callrooms":"join","room":R}}: R's admin is asked ({@code request}); the asker hears {@code
 *       refused} at once when there is no such room.
 *   <li>{@code {"callrooms":"decide","room":R,"user":U,"approve":true|false}}, from R's admin only: U hears {@code
 *       approved} (with the topic) or {@code refused}.
 * </ul>
 *
 * When a room expires its admin and members hear {@code expired}. Everything else on the queue (presence events,
 * other clients' messages) is not for it and is left alone. One instance per queue; rooms are in memory.
 */
public final class CallRooms implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CallRooms.class.getName());
    private static final SecureRandom SECRETS = new SecureRandom();

    private record Room(String name, String admin, String topic, Instant expiresAt, Set<String> members) {}

    private final SqsClient sqs;
    private final String messagesQueueUrl;
    private final String notificationsQueueUrl;
    private final Duration ttl;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private final Thread poller;

    public CallRooms(SqsClient sqs, String messagesQueueUrl, String notificationsQueueUrl, Duration ttl, Clock clock) {
        this.sqs = sqs;
        this.messagesQueueUrl = messagesQueueUrl;
        this.notificationsQueueUrl = notificationsQueueUrl;
        this.ttl = ttl;
        this.clock = clock;
        this.poller = Thread.ofVirtual().name("call-rooms").start(this::poll);
    }

    private void poll() {
        try {
            while (running) {
                try {
                    var messages = sqs.receiveMessage(b -> b.queueUrl(messagesQueueUrl)
                                    .waitTimeSeconds(1)
                                    .maxNumberOfMessages(10)
                                    .messageAttributeNames("All"))
                            .messages();
                    for (var message : messages) {
                        handle(message);
                    }
                    expire();
                } catch (SdkException e) {
                    if (running) {
                        LOG.log(System.Logger.Level.WARNING, "call rooms: the queue failed: {0}", e.getMessage());
                    }
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void handle(Message message) {
        var user = message.messageAttributes().get("user_id");
        var kind = message.messageAttributes().get("kind");
        JsonNode body;
        try {
            body = json.readTree(message.body());
        } catch (IOException e) {
            body = null;
        }
        if (user == null
                || kind == null
                || !"client".equals(kind.stringValue())
                || body == null
                || !body.path("callrooms").isTextual()) {
            // Not ours: made visible again at once for whoever consumes the rest of the queue.
            sqs.changeMessageVisibility(b -> b.queueUrl(messagesQueueUrl)
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0));
            return;
        }
        try {
            handle(user.stringValue(), body);
        } finally {
            sqs.deleteMessage(b -> b.queueUrl(messagesQueueUrl).receiptHandle(message.receiptHandle()));
        }
    }

    private void handle(String user, JsonNode request) {
        var name = request.path("room").asText("");
        if (name.isBlank()) {
            tell(user, answer("refused", name).put("reason", "a request names its room"));
            return;
        }
        var room = live(name);
        switch (request.path("callrooms").asText()) {
            case "create" -> {
                if (room != null && !room.admin().equals(user)) {
                    tell(user, answer("refused", name).put("reason", "the room is " + room.admin() + "'s"));
                    return;
                }
                var created = room != null
                        ? room
                        : new Room(
                                name,
                                user,
                                "call-" + name + "-" + HexFormat.of().formatHex(secret()),
                                clock.instant().plus(ttl),
                                ConcurrentHashMap.newKeySet());
                rooms.put(name, created);
                tell(user, positioned(answer("created", name), created));
            }
            case "join" -> {
                if (room == null) {
                    tell(user, answer("refused", name).put("reason", "there is no such room"));
                } else {
                    tell(room.admin(), answer("request", name).put("user", user));
                }
            }
            case "decide" -> {
                var asker = request.path("user").asText("");
                if (room == null || !room.admin().equals(user) || asker.isBlank()) {
                    tell(user, answer("refused", name).put("reason", "only the room's admin decides"));
                } else if (request.path("approve").asBoolean(false)) {
                    room.members().add(asker);
                    tell(asker, positioned(answer("approved", name), room));
                } else {
                    tell(asker, answer("refused", name).put("reason", "the admin said no"));
                }
            }
            default -> tell(user, answer("refused", name).put("reason", "create, join or decide"));
        }
    }

    private Room live(String name) {
        var room = rooms.get(name);
        return room != null && clock.instant().isBefore(room.expiresAt()) ? room : null;
    }

    private void expire() {
        var now = clock.instant();
        for (var room : List.copyOf(rooms.values())) {
            if (!now.isBefore(room.expiresAt()) && rooms.remove(room.name(), room)) {
                var everyone = new LinkedHashSet<String>();
                everyone.add(room.admin());
                everyone.addAll(room.members());
                for (var user : everyone) {
                    tell(user, answer("expired", room.name()));
                }
            }
        }
    }

    private ObjectNode answer(String what, String room) {
        return json.createObjectNode().put("callrooms", what).put("room", room);
    }

    private static ObjectNode positioned(ObjectNode answer, Room room) {
        return answer.put("topic", room.topic())
                .put("expiresAt", room.expiresAt().toString());
    }

    /** A notification request for one user, on the notifications queue. */
    private void tell(String user, ObjectNode data) {
        var request = json.createObjectNode();
        request.putArray("users").add(user);
        request.set("data", data);
        sqs.sendMessage(b -> b.queueUrl(notificationsQueueUrl).messageBody(request.toString()));
    }

    private static byte[] secret() {
        var bytes = new byte[8];
        SECRETS.nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        running = false;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs against the queues named in the environment ({@code MESSAGES_QUEUE_URL}, {@code NOTIFICATIONS_QUEUE_URL};
     * {@code CALL_ROOM_TTL}, ISO-8601, default five minutes), the AWS SDK's own settings doing the rest — with
     * {@code .local-stack.env} loaded, the local stack's.
     */
    public static void main(String[] args) throws InterruptedException {
        var env = System.getenv();
        var ttl = ttl(env.getOrDefault("CALL_ROOM_TTL", "PT5M"));
        var messages = required(env, "MESSAGES_QUEUE_URL");
        var notifications = required(env, "NOTIFICATIONS_QUEUE_URL");
        var backend = new CallRooms(SqsClient.create(), messages, notifications, ttl, Clock.systemUTC());
        System.out.println("call rooms: running; rooms expire after " + ttl + ". Ctrl-C stops it.");
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        backend.poller.join();
    }

    /** A positive ISO-8601 duration; anything else stops the start, saying so. */
    private static Duration ttl(String text) {
        try {
            var ttl = Duration.parse(text);
            if (ttl.isPositive()) {
                return ttl;
            }
        } catch (java.time.format.DateTimeParseException e) {
            // told below
        }
        System.err.println("call rooms: CALL_ROOM_TTL is " + text + "; it must be a positive ISO-8601 duration (PT5M)");
        System.exit(2);
        throw new IllegalStateException("unreachable");
    }

    private static String required(Map<String, String> env, String name) {
        var value = env.get(name);
        if (value == null || value.isBlank()) {
            System.err.println("call rooms: " + name
                    + " is not set (load .local-stack.env: set -a; . ./.local-stack.env; set +a)");
            System.exit(2);
        }
        return value;
    }
}
