package dev.switchboard.app.topics;

import dev.switchboard.app.access.TopicRules;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.hub.OutFrame;
import dev.switchboard.app.hub.SendResult;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.metrics.GatewayMetrics.FrameKind;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.History;
import dev.switchboard.registry.TopicNode;
import io.helidon.webclient.http1.Http1Client;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * Relays topic publishes across nodes. The hub knows this node's subscribers; the registry knows which other nodes
 * hold subscribers of a topic and how many ({@code nodesOf}), which each node rewrites only when its own count for
 * the topic changes. That answer is cached per topic for {@code cacheTtl}, so a busy topic costs one DynamoDB Query
 * per node per {@code cacheTtl}, not one per publish; a node that gains its first subscriber is reached at the
 * latest {@code cacheTtl} later (the consistency window, docs/architecture.md). Thread-safe.
 */
public final class TopicRelay implements TopicCounts {
    /** The Management API extension between our own nodes: a batch of publishes, for that node's subscribers. */
    public static final String PATH = "/@topics";

    /** The media type of a {@link RelayBatch}. */
    public static final String CONTENT_TYPE = "application/vnd.switchboard.relay-batch";

    private static final System.Logger LOG = System.getLogger(TopicRelay.class.getName());

    private record Cached(long expiresAt, List<TopicNode> nodes) {}

    private final ConnectionRegistry registry;
    private final LocalConnections hub;
    private final GatewayMetrics metrics;
    private final String nodeId;
    private final String endpoint;
    private final Duration cacheTtl;
    private final int maxCached;
    private final long linkMaxBytes;
    private final Http1Client http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, NodeLink> links = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** Topics whose entry for this node is in the registry, as far as this node wrote it. */
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();
    /** Topics whose count changed since it was last written, without crossing zero: a write is under way. */
    private final Set<String> recountsOwed = ConcurrentHashMap.newKeySet();
    /** One topic's entry is written by one thread at a time, so a put and a delete of it land in the order decided. */
    private final ReentrantLock[] entryLocks = new ReentrantLock[64];

    public TopicRelay(
            ConnectionRegistry registry,
            LocalConnections hub,
            GatewayMetrics metrics,
            String nodeId,
            String endpoint,
            Duration cacheTtl,
            int maxCached,
            long linkMaxBytes,
            Http1Client http) {
        this.registry = registry;
        this.hub = hub;
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.endpoint = endpoint;
        this.cacheTtl = cacheTtl;
        this.maxCached = maxCached;
        this.linkMaxBytes = linkMaxBytes;
        this.http = http;
        for (var i = 0; i < entryLocks.length; i++) {
            entryLocks[i] = new ReentrantLock();
        }
    }

    /**
     * Publishes: the subscribers here get the frame at once; every other node holding subscribers gets it through
     * its {@link NodeLink} (queued, batched, in order), without waiting. {@code clients} counts all subscribers
     * everywhere.
     *
     * @param text the frame, given the total subscriber count
     */
    public void publish(String topic, IntFunction<String> text) {
        var local = hub.subscribersOf(topic);
        var remote = remoteNodes(topic);
        var clients =
                local.size() + remote.stream().mapToInt(TopicNode::subscribers).sum();
        if (clients == 0) {
            return;
        }
        var frame = OutFrame.of(text.apply(clients));
        deliver(topic, local, frame);
        for (var node : remote) {
            link(node).relay(topic, frame.text(), frame.bytes());
        }
    }

    /** A frame of a topic with history, given its subscriber count and the epoch and offset it is stored at. */
    public interface KeptFrame {
        String text(int clients, String epoch, long offset);
    }

    /**
     * Publishes to a topic that keeps history: the message is stored first at the topic's next offset (the registry's
     * history: one conditional PutItem, more when another node took that offset), then delivered as {@link #publish}
     * delivers, carrying its offset and epoch — also when nobody subscribes now, since a reconnecting client will ask.
     *
     * @throws dev.switchboard.registry.RegistryException when it could not be stored: then it was not delivered
     */
    public History.Position publishKept(String topic, TopicRules.History kept, KeptFrame text) {
        var local = hub.subscribersOf(topic);
        var remote = remoteNodes(topic);
        var clients =
                local.size() + remote.stream().mapToInt(TopicNode::subscribers).sum();
        var stored = new String[1];
        var position = registry.history().append(topic, kept.ttl(), (epoch, offset) -> {
            stored[0] = text.text(clients, epoch, offset);
            return stored[0];
        });
        var frame = OutFrame.kept(stored[0], position.offset());
        deliver(topic, hub.subscribersOf(topic), frame);
        // Read again, strongly, now that it is stored: a node that began recovering a client before the store was
        // visible finds the message in the history; any other has its entry written already and is found here.
        for (var node : freshRemoteNodes(topic, remote)) {
            link(node).relay(new RelayBatch.Relayed(topic, frame.text(), false, position.offset()), frame.bytes());
        }
        return position;
    }

    /**
     * A frame for the topic's presence members on every node (a join or a leave): those here at once, the other
     * nodes holding subscribers through their links, as publishes go.
     */
    public void toMembers(String topic, String text) {
        var frame = OutFrame.of(text);
        deliver(topic, hub.membersOf(topic), frame);
        for (var node : remoteNodes(topic)) {
            link(node).relay(new RelayBatch.Relayed(topic, text, true), frame.bytes());
        }
    }

    private NodeLink link(TopicNode node) {
        return links.computeIfAbsent(
                node.endpoint(),
                endpoint -> new NodeLink(node.nodeId(), endpoint, linkMaxBytes, http, metrics, cache::remove));
    }

    /**
     * A batch of publishes from another node ({@link RelayBatch}), for the subscribers here; returns how many
     * deliveries it made.
     *
     * @throws dev.switchboard.app.protocol.MalformedBodyException when the body is not a batch
     */
    public int deliverFromNode(String body) {
        var delivered = 0;
        for (var relayed : RelayBatch.decode(body)) {
            var to = relayed.membersOnly() ? hub.membersOf(relayed.topic()) : hub.subscribersOf(relayed.topic());
            var frame = relayed.offset() >= 0
                    ? OutFrame.kept(relayed.frame(), relayed.offset())
                    : OutFrame.of(relayed.frame());
            delivered += deliver(relayed.topic(), to, frame);
        }
        return delivered;
    }

    /** Topics whose list of nodes is cached now (at most {@code maxCached}). */
    public int cachedTopics() {
        return cache.size();
    }

    /** Forgets the node lists of topics not published to for {@code idle}: the cache holds busy topics only. */
    public void forgetIdle(Duration idle) {
        var now = System.nanoTime();
        cache.values().removeIf(cached -> now - cached.expiresAt() > idle.toNanos());
    }

    /**
     * This node's subscriber count of a topic changed: its entry in the registry tells the other nodes to relay the
     * topic here, and how many subscribers it has here (their publishes' {@code clients}). When the count crosses
     * zero (the first subscriber comes, the last leaves) the entry is put or deleted before this returns, since
     * deliveries depend on it; any other change is written after, off the caller's path, one write per topic at a
     * time with the count as it is then (a failed one is logged; the TTL refresh writes every count again).
     */
    @Override
    public void countChanged(String topic) {
        write(topic, false);
    }

    /**
     * Writes the topic's entry whatever this node wrote before, with its subscriber count now: to refresh its TTL,
     * or after the node's entries may have gone (its lease lost, a sweep).
     */
    @Override
    public void recordCount(String topic) {
        write(topic, true);
    }

    private void later(String topic) {
        if (recountsOwed.add(topic)) {
            Thread.ofVirtual().name("topic-count").start(() -> {
                recountsOwed.remove(topic); // before the count is read: a change after it owes another write
                try {
                    write(topic, true);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "topic count not recorded topic={0}: {1}", topic, e.getMessage());
                }
            });
        }
    }

    private void write(String topic, boolean always) {
        var lock = entryLocks[Math.floorMod(topic.hashCode(), entryLocks.length)];
        lock.lock();
        try {
            var subscribers = hub.subscribersOf(topic).size();
            if (!always && (subscribers > 0) == recorded.contains(topic)) {
                later(topic); // no crossing of zero: only the count changed
                return;
            }
            registry.topics().topicSubscribers(topic, nodeId, endpoint, subscribers);
            if (subscribers > 0) {
                recorded.add(topic);
            } else {
                recorded.remove(topic);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues the frame for each subscriber; none is waited for (a slow one is closed by its own queue). */
    private int deliver(String topic, List<ClientConnection> subscribers, OutFrame frame) {
        var delivered = 0;
        for (var subscriber : subscribers) {
            if (subscriber.sendOnTopic(topic, frame) == SendResult.QUEUED) {
                delivered++;
            }
        }
        if (delivered > 0) {
            metrics.framesOut(FrameKind.TOPIC_PUBLISH, delivered);
        }
        return delivered;
    }

    /**
     * The other nodes holding subscribers of the topic. Only a topic's first publish here waits for the registry;
     * after that an expired answer is still used while one background Query refreshes it, so no publish waits on
     * DynamoDB (the window grows by that Query's time).
     */
    private List<TopicNode> remoteNodes(String topic) {
        var cached = cache.get(topic);
        if (cached == null) {
            return lookUp(topic, List.of());
        }
        if (System.nanoTime() - cached.expiresAt() > 0 && refreshing.add(topic)) {
            Thread.ofVirtual().name("topic-nodes").start(() -> {
                try {
                    lookUp(topic, cached.nodes());
                } finally {
                    refreshing.remove(topic);
                }
            });
        }
        return cached.nodes();
    }

    private List<TopicNode> freshRemoteNodes(String topic, List<TopicNode> fallback) {
        try {
            var nodes = registry.topics().nodesOf(topic, true).stream()
                    .filter(n -> !n.nodeId().equals(nodeId) && n.subscribers() > 0)
                    .toList();
            cache.put(topic, new Cached(System.nanoTime() + cacheTtl.toNanos(), nodes));
            return nodes;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "topic nodes unknown topic={0}: {1}", topic, e.getMessage());
            return fallback;
        }
    }

    private List<TopicNode> lookUp(String topic, List<TopicNode> fallback) {
        try {
            var nodes = registry.topics().nodesOf(topic).stream()
                    .filter(n -> !n.nodeId().equals(nodeId) && n.subscribers() > 0)
                    .toList();
            // Topic names are the clients': at the bound, a new one takes the place of another (hash order: any).
            if (cache.size() >= maxCached && !cache.containsKey(topic)) {
                var victims = cache.keySet().iterator();
                if (victims.hasNext()) {
                    cache.remove(victims.next());
                }
            }
            cache.put(topic, new Cached(System.nanoTime() + cacheTtl.toNanos(), nodes));
            return nodes;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "topic nodes unknown topic={0}: {1}", topic, e.getMessage());
            return fallback;
        }
    }
}
