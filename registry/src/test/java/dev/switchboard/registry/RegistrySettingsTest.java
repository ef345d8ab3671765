package dev.switchboard.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistrySettingsTest {
    @Test
    void theDefaultsArePinned() {
        assertThat(RegistrySettings.of("t"))
                .isEqualTo(new RegistrySettings(
                        "t",
                        "sk-index",
                        new RegistrySettings.KeyPrefixes("conn#", "topic#", "user#", "node#", "presence#", "nodes"),
                        Duration.ofHours(24),
                        Duration.ofSeconds(30),
                        1000));
    }

    @Test
    void aMissingTableIsRefused() {
        assertThatThrownBy(() -> RegistrySettings.of(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table");
    }

    @Test
    void aLeaseShorterThanASecondIsRefused() {
        assertThatThrownBy(() -> RegistrySettings.of("t").withNodeLease(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeLease");
    }

    @Test
    void keysCarryTheConfiguredPrefixes() {
        var items = new Items(new RegistrySettings.KeyPrefixes("c:", "t:", "u:", "n:", "p:", "all-nodes"));

        assertThat(items.topicKey("room")).isEqualTo("t:room");
        assertThat(items.connectionKey("c1")).isEqualTo("c:c1");
        assertThat(items.presenceKey("alice").get(Items.SK).s()).isEqualTo("p:alice");
        assertThat(items.nodeRecordKey("n1").get(Items.PK).s()).isEqualTo("all-nodes");
    }
}
