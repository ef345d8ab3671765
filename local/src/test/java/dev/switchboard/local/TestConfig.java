package dev.switchboard.local;

import dev.switchboard.settings.Settings;
import io.helidon.config.Config;
import java.util.List;
import java.util.Map;

/** The local stack's configuration as the process would see it with {@code env} as its environment. */
final class TestConfig {
    private TestConfig() {}

    static Config withEnvironment(Map<String, String> env) {
        return Settings.fromEnvironment(List.of(LocalSettings.DEFAULTS), env);
    }

    static LocalSettings settings(Map<String, String> env) {
        return LocalSettings.from(Settings.of(withEnvironment(env)));
    }
}
