package dev.switchboard.app.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static Admission behind(int proxies) {
        return new Admission(new Admission.Limits(0, 0, 0, proxies));
    }

    @Test
    void theSourceIsTheEntryAppendedByTheOutermostTrustedProxy() {
        var spoofed = List.of("6.6.6.6, 203.0.113.7");

        assertThat(behind(0).sourceAddress(spoofed, "10.0.0.2"))
                .as("no proxy: the header is the client's own words")
                .isEqualTo("10.0.0.2");
        assertThat(behind(1).sourceAddress(spoofed, "10.0.0.2"))
                .as("an ALB appends the address it saw")
                .isEqualTo("203.0.113.7");
        assertThat(behind(2).sourceAddress(List.of("6.6.6.6", "203.0.113.7, 10.1.1.1"), "10.0.0.2"))
                .as("two proxies, the header sent twice")
                .isEqualTo("203.0.113.7");
        assertThat(behind(3).sourceAddress(List.of("203.0.113.7"), "10.0.0.2"))
                .as("fewer entries than proxies: the first")
                .isEqualTo("203.0.113.7");
        assertThat(behind(1).sourceAddress(List.of(), "10.0.0.2")).isEqualTo("10.0.0.2");
    }

    @Test
    void eachSourceHasItsOwnConnectRate() {
        var admission = new Admission(new Admission.Limits(0, 0.001, 2, 0));

        assertThat(admission.mayConnectFrom("a")).isTrue();
        assertThat(admission.mayConnectFrom("a")).isTrue();
        assertThat(admission.mayConnectFrom("a")).as("past the burst").isFalse();
        assertThat(admission.mayConnectFrom("b")).isTrue();
        assertThat(behind(0).mayConnectFrom("a")).as("no limit").isTrue();
    }

    @Test
    void aUserMayHoldUpToItsLimit() {
        var admission = new Admission(new Admission.Limits(2, 0, 0, 0));

        assertThat(admission.userRefusal(1)).isEmpty();
        assertThat(admission.userRefusal(2))
                .hasValueSatisfying(m -> assertThat(m).contains("limit"));
        assertThat(behind(0).userRefusal(1_000)).isEmpty();
    }
}
