package dev.switchboard.app.topics;

/**
 * This node's subscriber count per topic, as the other nodes read it (the topic's entry in the registry): what the
 * gateway tells when its connections come and go. {@link TopicRelay} keeps them; a test may count the calls.
 */
public interface TopicCounts {
    /** The node's count of {@code topic} changed (see {@link TopicRelay#countChanged}). */
    void countChanged(String topic);

    /** Write the node's count of {@code topic} again, whatever was written before (see {@link TopicRelay#recordCount}). */
    void recordCount(String topic);
}
