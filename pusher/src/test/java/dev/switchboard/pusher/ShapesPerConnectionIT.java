package dev.switchboard.pusher;

import java.util.Map;

/** The shapes delivered with a post per target connection (the default). */
class ShapesPerConnectionIT extends DeliveryShapes {
    @Override
    Map<String, String> mode() {
        return Map.of();
    }
}
