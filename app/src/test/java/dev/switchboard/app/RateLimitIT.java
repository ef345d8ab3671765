package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Over the rate: an error and dropped frames; far over, again and again: closed as abuse (1008). */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {
    private GatewayFixture gateway;

    @BeforeAll
    void start(Emulators emulators, TestNames names) {
        gateway = new GatewayFixture(
                emulators,
                names,
                Map.of("PRESENCE_TARGET", "none", "LIMITS_RATE", "1", "LIMITS_BURST", "5", "LIMITS_ABUSE", "50"));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aBurstOverTheRateIsToldAndTheConnectionStaysUp() throws Exception {
        try (var client = gateway.connect("eager");
                var bystander = gateway.connect("calm")) {
            for (int i = 0; i < 10; i++) {
                client.send("{\"type\":\"ping\"}");
            }

            assertThat(client.next("error").path("code").asText()).isEqualTo("rate_limited");
            assertThat(client.closed()).isNotDone();
            assertThat(bystander.pingForConnectionId()).isNotBlank();
        }
    }

    @Test
    void sustainedAbuseIsClosedWithPolicyViolation() throws Exception {
        try (var client = gateway.connect("flood")) {
            for (int i = 0; i < 100 && !client.closed().isDone(); i++) {
                client.send("{\"type\":\"ping\"}");
            }

            assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }
}
