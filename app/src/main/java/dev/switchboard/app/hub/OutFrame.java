package dev.switchboard.app.hub;

import dev.switchboard.app.protocol.FrameLimit;

/**
 * A text frame to send, with its size in UTF-8 bytes counted once: a topic publish is one frame for all its
 * subscribers, and each of their outbound queues counts its bytes. A message of a topic with history has its offset
 * (recovery's seam: {@link ClientConnection#sendOnTopic}).
 */
public record OutFrame(String text, int bytes, long offset) {
    /** The offset of a frame of a topic without history. */
    public static final long NONE = -1;

    public OutFrame(String text, int bytes) {
        this(text, bytes, NONE);
    }

    public static OutFrame of(String text) {
        return new OutFrame(text, FrameLimit.utf8Length(text));
    }

    /** A message of a topic with history, at its offset. */
    public static OutFrame kept(String text, long offset) {
        return new OutFrame(text, FrameLimit.utf8Length(text), offset);
    }
}
