package dev.switchboard.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SettingsContractTest {
    private static final String FILE = "contract-test.yaml";

    record Read(int port, String host, double rate) {}

    @Test
    void aWrongCommentAnUnreadKeyAndAnUndeclaredOneAreEachReported() {
        var problems = SettingsContract.of(
                        s -> {
                            s.optional("undeclared.key");
                            return new Read(
                                    s.port("server.port"), s.text("server.host"), s.number("limits.rate", 0, 100));
                        },
                        FILE)
                .problems();

        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "contract-test.yaml:6: the comment of limits.rate must begin with its variable, LIMITS_RATE"
                                + " (it reads \"THE_RATE: documented under another name\")",
                        "undeclared.key (UNDECLARED_KEY) is read but declared in none of [contract-test.yaml]",
                        "unused is declared in [contract-test.yaml] but never read");
    }

    @Test
    void aKeyReadButLeftOutOfTheSettingsIsReported() {
        var problems = SettingsContract.of(
                        s -> {
                            s.text("unused");
                            s.number("limits.rate", 0, 100);
                            return new Read(s.port("server.port"), s.text("server.host"), 0);
                        },
                        FILE)
                .problems();

        assertThat(problems)
                .contains("{LIMITS_RATE=51} does not change the settings: it does not reach limits.rate, or the"
                        + " value read is not part of the settings");
    }

    @Test
    void aDerivedValueTheReaderRefusesAsksForAnAlternative() {
        var problems = SettingsContract.of(
                        s -> {
                            s.text("unused");
                            return new Read(
                                    s.port("server.port"), s.text("server.host"), s.number("limits.rate", 50, 50));
                        },
                        FILE)
                .problems();

        assertThat(problems).anyMatch(p -> p.contains("is refused") && p.contains("alternative(\"LIMITS_RATE\""));
    }

    @Test
    void settingsThatDifferFromReadToReadAreReported() {
        var problems = SettingsContract.of(s -> UUID.randomUUID(), FILE).problems();

        assertThat(problems).anyMatch(p -> p.startsWith("two reads of the same settings differ"));
    }
}
