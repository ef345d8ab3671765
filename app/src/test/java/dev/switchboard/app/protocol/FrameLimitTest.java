package dev.switchboard.app.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameLimitTest {
    private final FrameLimit limit = new FrameLimit(12);

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        assertThat(limit.exceeds("x".repeat(12))).isFalse();
        assertThat(limit.exceeds("x".repeat(13))).isTrue();
        assertThat(limit.exceeds("é".repeat(6))).isFalse(); // 12 bytes in 6 characters
        assertThat(limit.exceeds("é".repeat(7))).isTrue(); // 14 bytes in 7 characters
        assertThat(limit.exceeds("€".repeat(4))).isFalse(); // 3 bytes each
        assertThat(limit.exceeds("€".repeat(5))).isTrue();
    }

    @Test
    void utf8LengthIsWhatTheEncoderMakes() {
        for (var text : new String[] {"", "ascii", "é", "€uro", "emoji 😀 and more 🚀", "\\ud800 lone surrogate"}) {
            assertThat(FrameLimit.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void bytesPostedAreCountedAsThey() {
        assertThat(limit.exceeds(new byte[12])).isFalse();
        assertThat(limit.exceeds(new byte[13])).isTrue();
    }
}
