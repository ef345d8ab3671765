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
            throw outOfRange(key, String.valueOf(value), min + " and " + max);
        }
        return value;
    }

    /** A finite number between {@code min} and {@code max} (inclusive). */
    public static double number(Config config, String key, double min, double max) {
        double value = read(config, key, node -> node.asDouble().get());
        if (!(value >= min && value <= max)) { // NaN fails too
            throw outOfRange(key, String.valueOf(value), min + " and " + max);
        }
        return value;
    }

    /** An ISO-8601 duration ({@code PT30S}). */
    public static Duration duration(Config config, String key) {
        return read(config, key, node -> node.as(Duration.class).get());
    }

    /**
     * An ISO-8601 duration between {@code min} and {@code max} (inclusive): a period of zero, say, would make a
     * timer spin or refuse to start only once the service runs, so it is refused here.
     */
    public static Duration duration(Config config, String key, Duration min, Duration max) {
        var value = duration(config, key);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw outOfRange(key, value.toString(), min + " and " + max);
        }
        return value;
    }

    /** The environment variable Helidon maps to {@code key}: {@code node.heartbeat} is {@code NODE_HEARTBEAT}. */
    public static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static IllegalStateException outOfRange(String key, String value, String range) {
        return new IllegalStateException(
                "config key " + key + " (" + environmentName(key) + ") is " + value + "; it must lie between " + range);
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
            throw new IllegalStateException(
                    "config key " + key + " (" + environmentName(key) + ") is missing or invalid: " + e.getMessage(),
                    e);
        }
    }
}
