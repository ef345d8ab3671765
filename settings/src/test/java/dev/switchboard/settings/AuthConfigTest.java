package dev.switchboard.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.authorizer.AuthSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthConfigTest {
    private static final String JWKS = "https://issuer.example.com/jwks.json";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static AuthSettings read(Map<String, String> environment) {
        return AuthConfig.read(Settings.of(Settings.fromEnvironment(List.of(AuthConfig.DEFAULTS), environment)));
    }

    @Test
    void everyDefaultIsPinned() {
        var auth = read(Map.of("AUTH_JWKS_URI", JWKS));

        assertThat(auth)
                .isEqualTo(new AuthSettings(
                        Optional.of(URI.create(JWKS)),
                        Optional.empty(),
                        List.of(),
                        Optional.empty(),
                        true,
                        Duration.ofSeconds(60),
                        AuthSettings.ASYMMETRIC,
                        "sub",
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(30)));
    }

    @Test
    void everyKeyIsDocumentedReadAndReachedByItsVariable() {
        var contract = SettingsContract.of(AuthConfig::read, AuthConfig.DEFAULTS)
                .environment("AUTH_JWKS_URI", JWKS)
                .alternative("AUTH_JWKS_URI", "https://other.example.com/jwks.json")
                .alternative("AUTH_HMAC_SECRET", Map.of("AUTH_HMAC_SECRET", SECRET, "AUTH_JWKS_URI", ""))
                .alternative("AUTH_AUDIENCES", "web,mobile")
                .alternative("AUTH_ISSUER", "https://issuer.example.com/");

        assertThat(contract.problems()).isEmpty();
    }

    @Test
    void aSecretIsForHmacAlgorithmsOnly() {
        var auth = read(Map.of("AUTH_HMAC_SECRET", SECRET));

        assertThat(auth.algorithms()).isEqualTo(AuthSettings.HMAC);
        assertThat(auth.toString()).doesNotContain(SECRET);
    }

    @Test
    void bothKeySourcesOrNeitherIsRefused() {
        assertThatThrownBy(() -> read(Map.of("AUTH_JWKS_URI", JWKS, "AUTH_HMAC_SECRET", SECRET)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> read(Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("set auth.jwks.uri (AUTH_JWKS_URI)");
    }

    @Test
    void aShortSecretIsRefusedAsASetting() {
        assertThatThrownBy(() -> read(Map.of("AUTH_HMAC_SECRET", "short")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("at least 32 bytes");
    }
}
