package dev.switchboard.app.hub;

import dev.switchboard.app.protocol.FrameLimit;

/**
 * A text frame to send, with its size in UTF-8 bytes counted once: a topic publish is one frame for all its
 * subscribers, and each of their outbound queues counts its bytes.
 */
public record OutFrame(String text, int bytes) {
    public static OutFrame of(String text) {
        return new OutFrame(text, FrameLimit.utf8Length(text));
    }
}
