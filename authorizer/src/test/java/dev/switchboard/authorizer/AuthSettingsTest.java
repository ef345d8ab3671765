package dev.switchboard.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {
    private static final URI JWKS = URI.create("https://issuer.example.com/.well-known/jwks.json");

    @Test
    void theJwksDefaultsArePinned() {
        var settings = AuthSettings.jwks(JWKS, List.of("a"), Optional.of("iss"));

        assertThat(settings.verifyExpiration()).isTrue();
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.algorithms()).isEqualTo(AuthSettings.ASYMMETRIC).doesNotContain("none", "HS256");
        assertThat(settings.userClaim()).isEqualTo("sub");
        assertThat(settings.jwksTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.jwksCacheTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void hmacAlgorithmsAreRefusedWithAJwks() {
        var hmac = Set.of("HS256");
        var defaults = AuthSettings.jwks(JWKS, List.of(), Optional.empty());

        assertThatThrownBy(() -> new AuthSettings(
                        defaults.jwksUri(),
                        Optional.empty(),
                        List.of(),
                        Optional.empty(),
                        true,
                        Duration.ZERO,
                        hmac,
                        "sub",
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HS256");
    }

    @Test
    void noneIsNeverAllowed() {
        var defaults = AuthSettings.jwks(JWKS, List.of(), Optional.empty());

        assertThatThrownBy(() -> new AuthSettings(
                        defaults.jwksUri(),
                        Optional.empty(),
                        List.of(),
                        Optional.empty(),
                        true,
                        Duration.ZERO,
                        Set.of("none"),
                        "sub",
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none");
    }

    @Test
    void exactlyOneKeySourceIsRequired() {
        assertThatThrownBy(() -> new AuthSettings(
                        Optional.empty(),
                        Optional.empty(),
                        List.of(),
                        Optional.empty(),
                        true,
                        Duration.ZERO,
                        Set.of("RS256"),
                        "sub",
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one");
    }

    @Test
    void aShortHmacSecretIsRefused() {
        assertThatThrownBy(() -> AuthSettings.hmac("short", List.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void theSecretNeverAppearsInToString() {
        var secret = "a-development-secret-of-32-bytes!!";

        assertThat(AuthSettings.hmac(secret, List.of(), Optional.empty()).toString())
                .doesNotContain(secret);
    }
}
