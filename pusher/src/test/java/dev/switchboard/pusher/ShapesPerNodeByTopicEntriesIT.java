package dev.switchboard.pusher;

import java.util.Map;

/**
 * The shapes delivered per node when topic requests read their topics' node entries (as with more nodes than
 * {@code DELIVERY_LOOKUP_TOPICS_ABOVE}) instead of going to every node.
 */
class ShapesPerNodeByTopicEntriesIT extends DeliveryShapes {
    @Override
    Map<String, String> mode() {
        return Map.of("DELIVERY_LOOKUP_TOPICS_ABOVE", "0");
    }
}
