package dev.switchboard.pusher;

import java.util.Map;

/** The shapes delivered with a post per target connection ({@code DELIVERY_PER=connection}, API Gateway's way). */
class ShapesPerConnectionIT extends DeliveryShapes {
    @Override
    Map<String, String> mode() {
        return Map.of("DELIVERY_PER", "connection");
    }
}
