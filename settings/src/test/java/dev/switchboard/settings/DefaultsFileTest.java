package dev.switchboard.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DefaultsFileTest {
    @Test
    void nestedKeysAreDottedWithTheirDefaultsAndComments() {
        var file = DefaultsFile.parse("x.yaml", """
                # a header
                server:
                  port: 8080        # SERVER_PORT: the port
                  host: "0.0.0.0"   # SERVER_HOST
                topics:
                  rules: '[{"pattern":"a#b"}]'   # TOPICS_RULES: JSON
                  relay:
                    max:
                      bytes: 1      # TOPICS_RELAY_MAX_BYTES
                auth:
                  issuer: ""
                """);

        assertThat(file.entries())
                .containsExactly(
                        new DefaultsFile.Entry("server.port", "8080", "SERVER_PORT: the port", 3),
                        new DefaultsFile.Entry("server.host", "0.0.0.0", "SERVER_HOST", 4),
                        new DefaultsFile.Entry("topics.rules", "[{\"pattern\":\"a#b\"}]", "TOPICS_RULES: JSON", 6),
                        new DefaultsFile.Entry("topics.relay.max.bytes", "1", "TOPICS_RELAY_MAX_BYTES", 9),
                        new DefaultsFile.Entry("auth.issuer", "", "", 11));
    }

    @Test
    void aListIsNotOfTheFormAndIsRefusedWithItsLine() {
        assertThatThrownBy(() -> DefaultsFile.parse("x.yaml", "topics:\n  - a\n"))
                .hasMessageStartingWith("x.yaml:2: not a key of a mapping");
    }
}
