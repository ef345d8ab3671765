package dev.switchboard.emulators.sns;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Topics and their subscriptions, in memory. Thread-safe. */
final class SnsTopics {
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    private final String arnPrefix;
    private final Map<String, String> topics = new ConcurrentHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

    /** @param arnPrefix {@code arn:aws:sns:<region>:<account>:} */
    SnsTopics(String arnPrefix) {
        this.arnPrefix = arnPrefix;
    }

    /** Creates the topic, or returns the existing one of that name (CreateTopic is idempotent in AWS). */
    String create(String name) {
        if (!TOPIC_NAME.matcher(name).matches()) {
            throw SnsException.invalidParameter(
                    "Invalid parameter: Topic Name must be 1 to 256 letters, digits, hyphens and underscores");
        }
        var arn = arnPrefix + name;
        topics.putIfAbsent(arn, name);
        return arn;
    }

    void delete(String topicArn) {
        topics.remove(topicArn);
        subscriptions.values().removeIf(s -> s.topicArn().equals(topicArn));
    }

    List<String> topicArns() {
        return topics.keySet().stream().sorted().toList();
    }

    /** @throws SnsException NotFound when the topic does not exist */
    String existing(String topicArn) {
        if (!topics.containsKey(topicArn)) {
            throw SnsException.notFound("Topic does not exist");
        }
        return topicArn;
    }

    /**
     * Subscribes a queue to a topic; subscribing the same endpoint again returns the same subscription, unless
     * its attributes differ (AWS refuses that).
     */
    synchronized Subscription subscribe(String topicArn, String protocol, String endpoint, boolean raw) {
        existing(topicArn);
        var same = subscriptions.values().stream()
                .filter(s -> s.topicArn().equals(topicArn) && s.endpoint().equals(endpoint))
                .findFirst();
        if (same.isPresent()) {
            if (same.get().rawMessageDelivery() != raw) {
                throw SnsException.invalidParameter(
                        "Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
            }
            return same.get();
        }
        var subscription = new Subscription(topicArn + ":" + UUID.randomUUID(), topicArn, protocol, endpoint, raw);
        subscriptions.put(subscription.arn(), subscription);
        return subscription;
    }

    void unsubscribe(String subscriptionArn) {
        subscriptions.remove(subscriptionArn);
    }

    /** @throws SnsException NotFound when the subscription does not exist */
    Subscription subscription(String subscriptionArn) {
        return Optional.ofNullable(subscriptions.get(subscriptionArn))
                .orElseThrow(() -> SnsException.notFound("Subscription does not exist"));
    }

    void update(Subscription subscription) {
        subscriptions.replace(subscription.arn(), subscription);
    }

    List<Subscription> subscriptions() {
        return subscriptions.values().stream()
                .sorted(Comparator.comparing(Subscription::arn))
                .toList();
    }

    List<Subscription> subscriptionsOf(String topicArn) {
        return subscriptions().stream()
                .filter(s -> s.topicArn().equals(topicArn))
                .toList();
    }
}
