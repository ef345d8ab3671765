package dev.switchboard.local;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import java.util.Map;

/** The local stack's configuration as the process would see it with {@code env} as its environment. */
final class TestConfig {
    private TestConfig() {}

    static Config withEnvironment(Map<String, String> env) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                // Helidon's own mapping of environment variable names (SQS_PORT → sqs.port), over the YAML.
                .sources(
                        ConfigSources.create(EnvironmentVariables.expand(env)),
                        ConfigSources.classpath("application.yaml"))
                .build();
    }

    static LocalSettings settings(Map<String, String> env) {
        return LocalSettings.from(withEnvironment(env));
    }
}
