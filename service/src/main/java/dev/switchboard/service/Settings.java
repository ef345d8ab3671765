package dev.switchboard.service;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one setting from Helidon config, validated: a missing or bad value is an {@link IllegalStateException}
 * naming its key, so a service refuses to start with a message an operator can act on.
 */
public final class Settings {
    private Settings() {}

    public static String text(Config config, String key) {
        return optional(config, key).orElseThrow(() -> new IllegalStateException("config key " + key + " is missing"));
    }

    /** The trimmed value; empty when absent or blank. */
    public static Optional<String> optional(Config config, String key) {
        return read(
                config,
                key,
                node -> node.asString().asOptional().map(String::trim).filter(v -> !v.isEmpty()));
    }

    public static int integer(Config config, String key, int min, int max) {
        int value = read(config, key, node -> node.asInt().get());
        if (value < min || value > max) {
            throw new IllegalStateException(
                    "config key " + key + " is " + value + "; it must lie between " + min + " and " + max);
        }
        return value;
    }

    /** An ISO-8601 duration ({@code PT30S}). */
    public static Duration duration(Config config, String key) {
        return read(config, key, node -> node.as(Duration.class).get());
    }

    /** A comma-separated list, each entry trimmed, empty ones dropped; empty when absent. */
    public static List<String> list(Config config, String key) {
        return optional(config, key)
                .map(value -> Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    public static <T> T read(Config config, String key, Function<Config, T> reader) {
        try {
            return reader.apply(config.get(key));
        } catch (ConfigException | IllegalArgumentException e) {
            throw new IllegalStateException("config key " + key + " is missing or invalid: " + e.getMessage(), e);
        }
    }
}
