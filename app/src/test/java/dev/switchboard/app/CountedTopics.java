package dev.switchboard.app;

import dev.switchboard.app.topics.TopicCounts;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Topic counts told, in order, for unit tests. */
final class CountedTopics implements TopicCounts {
    final List<String> changed = new CopyOnWriteArrayList<>();
    final List<String> recorded = new CopyOnWriteArrayList<>();

    @Override
    public void countChanged(String topic) {
        changed.add(topic);
    }

    @Override
    public void recordCount(String topic) {
        recorded.add(topic);
    }
}
