package dev.switchboard.registry;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Topic history ({@link ConnectionRegistry#history()}): the messages published to a topic that keeps history, each
 * the item {@code history#<t>} / {@code msg#<t>#<offset>} holding the frame as it was delivered, its epoch and a
 * {@code ttl} (the retention). An offset exists only where a message is stored: a publish takes the next offset by
 * a conditional PutItem, and when another node took it first, reads the head again and tries the next — so offsets
 * increase across all nodes with no gap a reader can see, and no two messages share one. Offsets never go back while
 * any item of the topic is in the table; when the newest has expired, the history is lost: the next publish starts a
 * new epoch (at the next offset). Reads treat an expired item as absent, and stop at the first one (older ones
 * expired before it). Thread-safe.
 */
public final class History {
    /** A topic's position: its epoch and last offset; {@code offset} 0 and a fresh epoch when nothing is kept. */
    public record Position(String epoch, long offset) {}

    /** A kept message: its offset and epoch, and the frame as it was delivered. */
    public record Entry(long offset, String epoch, String frame) {}

    /**
     * What a client that last saw {@code (epoch, offset)} missed: when {@code recovered}, exactly the messages after
     * it up to {@code head}, in order; otherwise nothing (the epoch changed, or they are no longer kept).
     */
    public record Missed(Position head, boolean recovered, List<Entry> messages) {}

    /** Appends that lost the race for an offset, at most, before the publish fails. */
    static final int ATTEMPTS = 64;

    /** The longest pause between two tries (each pause random, up to twice the last, from 1 ms). */
    private static final long MAX_BACKOFF_MILLIS = 25;

    private static final String FRAME = "frame";
    private static final String EPOCH = "epoch";
    private static final String OFFSET = "offset";
    private static final String REQUEST = "request";
    private static final int OFFSET_DIGITS = 19;
    private static final SecureRandom EPOCHS = new SecureRandom();
    private static final int KEPT_HEADS = 10_000;

    private final DynamoDbClient dynamoDb;
    private final RegistrySettings settings;
    private final Items items;
    private final CapacityMeter meter;
    private final Queries queries;
    private final Clock clock;
    /** The last position this node wrote or read per topic: a publish's first guess of the next offset. */
    private final Map<String, Position> heads = new ConcurrentHashMap<>();

    History(
            DynamoDbClient dynamoDb,
            RegistrySettings settings,
            Items items,
            CapacityMeter meter,
            Queries queries,
            Clock clock) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
        this.items = items;
        this.meter = meter;
        this.queries = queries;
        this.clock = clock;
    }

    /**
     * Stores a message at the topic's next offset: one conditional PutItem, and on losing the race a strongly
     * consistent Query of the head and another PutItem (at most {@value #ATTEMPTS} tries).
     *
     * @param frame the frame to store (and deliver), given the epoch and offset it gets
     * @return where it was stored
     */
    public Position append(String topic, Duration retention, BiFunction<String, Long, String> frame) {
        meter.call(Operation.WRITE_APPEND);
        var head = Optional.ofNullable(heads.get(topic)).orElseGet(() -> readHead(topic));
        for (var attempt = 0; attempt < ATTEMPTS; attempt++) {
            var next = new Position(head.epoch(), head.offset() + 1);
            if (tryPut(topic, next, frame.apply(next.epoch(), next.offset()), retention, Optional.empty())) {
                remember(topic, next);
                return next;
            }
            backOff(attempt); // racing publishers spread out, or all but one lose again
            head = readHead(topic); // another took it: from the head it wrote
        }
        throw new RegistryException(
                Operation.WRITE_APPEND + ": no offset after " + ATTEMPTS + " tries on topic " + topic);
    }

    private static void backOff(int attempt) {
        var ceiling = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempt, 5));
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(Operation.WRITE_APPEND + ": interrupted", e);
        }
    }

    /** A message stored for a request: where, its frame, and whether this call stored it (else another node had). */
    public record Stored(Position position, String frame, boolean fresh) {}

    /** How far back a request's message is looked for before it is stored (messages since another node stored it). */
    static final int REQUEST_WINDOW = 25;

    /**
     * Stores a backend's message once, however many nodes are asked to deliver it: each looks among the topic's newest
     * {@value #REQUEST_WINDOW} messages for the request's id (one strongly consistent Query) and stores it only when
     * it is not there, by the conditional PutItem of {@link #append}, looking again after each lost race. Every node
     * delivers the same frame at the same offset. A node asked after more than {@value #REQUEST_WINDOW} other
     * messages were stored would store it again.
     */
    public Stored appendOnce(
            String topic, String requestId, Duration retention, BiFunction<String, Long, String> frame) {
        meter.call(Operation.WRITE_APPEND);
        for (var attempt = 0; attempt < ATTEMPTS; attempt++) {
            var newest = new ArrayList<Map<String, AttributeValue>>();
            queries.call(Operation.WRITE_APPEND, () -> {
                var page = dynamoDb.query(newest(topic).limit(REQUEST_WINDOW).build());
                meter.read(Operation.WRITE_APPEND, page.consumedCapacity());
                newest.addAll(page.items());
            });
            var now = nowSeconds();
            for (var item : newest) {
                var request = item.get(REQUEST);
                if (request != null && request.s().equals(requestId) && Items.isLive(item, now)) {
                    var position = new Position(epochOf(item), offsetOf(item));
                    return new Stored(position, item.get(FRAME).s(), false);
                }
            }
            var head = headOf(newest);
            var next = new Position(head.epoch(), head.offset() + 1);
            var text = frame.apply(next.epoch(), next.offset());
            if (tryPut(topic, next, text, retention, Optional.of(requestId))) {
                remember(topic, next);
                return new Stored(next, text, true);
            }
            backOff(attempt);
        }
        throw new RegistryException(
                Operation.WRITE_APPEND + ": no offset after " + ATTEMPTS + " tries on topic " + topic);
    }

    /** One conditional PutItem of a message at its position; false when the offset is taken. */
    private boolean tryPut(String topic, Position at, String text, Duration retention, Optional<String> requestId) {
        var item = new HashMap<>(key(topic, at.offset()));
        item.put(FRAME, AttributeValue.fromS(text));
        item.put(EPOCH, AttributeValue.fromS(at.epoch()));
        item.put(OFFSET, Items.number(at.offset()));
        requestId.ifPresent(id -> item.put(REQUEST, AttributeValue.fromS(id)));
        var now = nowSeconds();
        item.put(Items.TTL, Items.number(now + Math.max(1, retention.toSeconds())));
        try {
            queries.write(Operation.WRITE_APPEND, () -> dynamoDb.putItem(b -> b.tableName(settings.table())
                            .item(item)
                            // An expired message is absent: its offset is not taken again (the head moved past
                            // it), but the condition must not trip on one DynamoDB has not deleted yet.
                            .conditionExpression("attribute_not_exists(#pk) OR #ttl <= :now")
                            .expressionAttributeNames(Map.of("#pk", Items.PK, "#ttl", Items.TTL))
                            .expressionAttributeValues(Map.of(":now", Items.number(now)))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                    .consumedCapacity());
            return true;
        } catch (RegistryException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }

    /** Where the topic stands: one strongly consistent Query of its newest message. */
    public Position head(String topic) {
        meter.call(Operation.READ_HISTORY);
        return readHead(topic);
    }

    /**
     * Another node's delivery showed the topic at {@code position}: the next publish here starts from it (a
     * guess: a wrong one costs a retry).
     */
    public void saw(String topic, Position position) {
        heads.merge(topic, position, (mine, seen) -> seen.offset() > mine.offset() ? seen : mine);
    }

    /**
     * The last {@code limit} messages of the current epoch, oldest first: one strongly consistent Query, newest
     * first, stopping at the first expired message or one of an earlier epoch.
     */
    public List<Entry> last(String topic, int limit) {
        meter.call(Operation.READ_HISTORY);
        var newestFirst = new ArrayList<Entry>();
        var epoch = new String[1];
        var now = nowSeconds();
        queries.call(Operation.READ_HISTORY, () -> {
            for (var page : dynamoDb.queryPaginator(
                    newest(topic).limit(Math.min(limit, 100)).build())) {
                meter.read(Operation.READ_HISTORY, page.consumedCapacity());
                for (var item : page.items()) {
                    if (!Items.isLive(item, now) || (epoch[0] != null && !epoch[0].equals(epochOf(item)))) {
                        return;
                    }
                    epoch[0] = epochOf(item);
                    newestFirst.add(entry(item));
                    if (newestFirst.size() >= limit) {
                        return;
                    }
                }
            }
        });
        return newestFirst.reversed();
    }

    /**
     * What a client that last saw {@code offset} of {@code epoch} missed: the head (one Query), then, when the epoch
     * is the topic's and its offset is at most {@code kept} behind, the messages after it (one Query, every page).
     * Not recovered when any of them is no longer there (expired).
     */
    public Missed since(String topic, String epoch, long offset, int kept) {
        meter.call(Operation.READ_HISTORY);
        var head = readHead(topic);
        if (!head.epoch().equals(epoch) || offset > head.offset() || head.offset() - offset > kept || offset < 0) {
            return new Missed(head, false, List.of());
        }
        var missed = new ArrayList<Entry>();
        if (offset < head.offset()) {
            var now = nowSeconds();
            var request = QueryRequest.builder()
                    .tableName(settings.table())
                    .consistentRead(true)
                    .limit(settings.pageSize())
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#pk", Items.PK, "#sk", Items.SK))
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS(partition(topic)),
                            ":from", AttributeValue.fromS(sortKey(topic, offset + 1)),
                            ":to", AttributeValue.fromS(sortKey(topic, head.offset()))))
                    .build();
            queries.query(Operation.READ_HISTORY, request, item -> {
                if (Items.isLive(item, now) && epoch.equals(epochOf(item))) {
                    missed.add(entry(item));
                }
            });
            for (var i = 0; i < missed.size(); i++) {
                if (missed.get(i).offset() != offset + 1 + i) {
                    return new Missed(head, false, List.of());
                }
            }
            if (missed.size() != head.offset() - offset) {
                return new Missed(head, false, List.of());
            }
        }
        return new Missed(head, true, missed);
    }

    private Position readHead(String topic) {
        var newest = new ArrayList<Map<String, AttributeValue>>();
        queries.call(Operation.READ_HISTORY, () -> {
            var page = dynamoDb.query(newest(topic).limit(1).build());
            meter.read(Operation.READ_HISTORY, page.consumedCapacity());
            newest.addAll(page.items());
        });
        var head = headOf(newest);
        remember(topic, head);
        return head;
    }

    /** Where a topic stands, from its messages newest first (the first is all that counts). */
    private Position headOf(List<Map<String, AttributeValue>> newestFirst) {
        if (newestFirst.isEmpty()) {
            return new Position(newEpoch(), 0);
        }
        var newest = newestFirst.getFirst();
        if (!Items.isLive(newest, nowSeconds())) {
            // Lost: its newest message expired. Offsets go on (the expired items may still be read past), the epoch
            // changes, so a client holding an old offset is told it cannot recover.
            return new Position(newEpoch(), offsetOf(newest));
        }
        return new Position(epochOf(newest), offsetOf(newest));
    }

    private QueryRequest.Builder newest(String topic) {
        return QueryRequest.builder()
                .tableName(settings.table())
                .consistentRead(true)
                .scanIndexForward(false)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Items.PK, "#sk", Items.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(partition(topic)),
                        ":prefix", AttributeValue.fromS(sortPrefix(topic))))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
    }

    private void remember(String topic, Position position) {
        if (heads.size() >= KEPT_HEADS && !heads.containsKey(topic)) {
            heads.clear(); // a guess only: the next publish of each reads its head again
        }
        heads.put(topic, position);
    }

    private Map<String, AttributeValue> key(String topic, long offset) {
        return Items.key(partition(topic), sortKey(topic, offset));
    }

    private String partition(String topic) {
        return items.historyKey(topic);
    }

    /** Per topic (never a constant shared by topics), so the index on {@code sk} has no hot key. */
    private String sortPrefix(String topic) {
        return "msg#" + topic + "#";
    }

    private String sortKey(String topic, long offset) {
        var digits = Long.toString(offset);
        return sortPrefix(topic) + "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
    }

    private static String epochOf(Map<String, AttributeValue> item) {
        return item.get(EPOCH).s();
    }

    private static long offsetOf(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get(OFFSET).n());
    }

    private static Entry entry(Map<String, AttributeValue> item) {
        return new Entry(offsetOf(item), epochOf(item), item.get(FRAME).s());
    }

    private static String newEpoch() {
        var bytes = new byte[6];
        EPOCHS.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private long nowSeconds() {
        return clock.instant().getEpochSecond();
    }
}
