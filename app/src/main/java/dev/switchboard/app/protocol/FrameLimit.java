package dev.switchboard.app.protocol;

/**
 * The one home of the frame size limit, in UTF-8 bytes as the wire carries them: what a client may send
 * ({@code LIMITS_FRAME_BYTES}) and what a backend may post to a connection through the Management API.
 */
public record FrameLimit(int maxBytes) {
    /** Whether {@code text}, encoded as UTF-8, is longer than the limit. Counts only when it has to. */
    public boolean exceeds(CharSequence text) {
        var chars = text.length();
        if (chars > maxBytes) {
            return true; // every char is at least one byte
        }
        if ((long) chars * 3 <= maxBytes) {
            return false; // no char is more than three bytes (a surrogate pair is four for two chars)
        }
        return utf8Length(text) > maxBytes;
    }

    public boolean exceeds(byte[] bytes) {
        return bytes.length > maxBytes;
    }

    /** What a client is told when its frame is too large. */
    public String message() {
        return "frames are limited to " + maxBytes + " bytes";
    }

    /** The length of {@code text} in UTF-8, without encoding it. */
    public static int utf8Length(CharSequence text) {
        var length = 0;
        for (var i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
