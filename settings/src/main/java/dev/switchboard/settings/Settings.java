package dev.switchboard.settings;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a service's settings from Helidon config, each value checked for type and range as it is read: a missing or
 * bad one is a {@link SettingsException} naming the key and the environment variable that reaches it ({@code
 * node.heartbeat} is {@code NODE_HEARTBEAT}), so a service refuses to start with a message an operator can act on.
 * Remembers every key it was asked for ({@link #keysRead()}), so a test can hold the keys read to the keys its
 * defaults file documents. Thread-safe.
 */
public final class Settings {
    /** The variable names Helidon maps to a dotted key. */
    private static final java.util.regex.Pattern MAPPED =
            java.util.regex.Pattern.compile("[A-Za-z0-9]+(_[A-Za-z0-9]+)+");

    private final Config config;
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    private Settings(Config config) {
        this.config = config;
    }

    public static Settings of(Config config) {
        return new Settings(config);
    }

    /**
     * A service's configuration: {@code overrides}, the environment (Helidon's mapping: {@code SERVER_PORT} reaches
     * {@code server.port}), system properties, an optional {@code application.yaml} on the class path, then each of
     * {@code defaults} (class path resources listing every key with its default), the first source naming a key
     * winning. The defaults have names of their own so that a process embedding a service (the local stack) keeps
     * its own {@code application.yaml}.
     */
    public static Config config(List<String> defaults, ConfigSource... overrides) {
        var sources = new ArrayList<Supplier<? extends ConfigSource>>(List.of(overrides));
        sources.add(ConfigSources.environmentVariables());
        sources.add(ConfigSources.systemProperties());
        sources.add(ConfigSources.classpath("application.yaml").optional());
        defaults.forEach(resource -> sources.add(ConfigSources.classpath(resource)));
        return build(sources);
    }

    /**
     * The configuration exactly {@code environment} gives over {@code defaults}, and nothing else of this process (no
     * real environment, no system property, no {@code application.yaml}): a Lambda's, or a test's.
     */
    public static Config fromEnvironment(List<String> defaults, Map<String, String> environment) {
        var sources = new ArrayList<Supplier<? extends ConfigSource>>();
        sources.add(ConfigSources.create(keysOf(environment)));
        defaults.forEach(resource -> sources.add(ConfigSources.classpath(resource)));
        return build(sources);
    }

    /**
     * The keys an environment's variables reach, as Helidon maps the process environment for keys like ours (no
     * dashes): {@code NODE_HEARTBEAT} is {@code node.heartbeat}. A name Helidon does not map — without an underscore,
     * or with one at either end or two in a row, as AWS Lambda's own {@code _HANDLER} — reaches no key of ours and is
     * left out. (Helidon's {@code EnvironmentVariables.expand}, which did this, is deprecated for removal.)
     */
    static Map<String, String> keysOf(Map<String, String> environment) {
        var keys = new java.util.HashMap<String, String>();
        environment.forEach((name, value) -> {
            if (MAPPED.matcher(name).matches()) {
                keys.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return keys;
    }

    private static Config build(List<Supplier<? extends ConfigSource>> sources) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(sources)
                .build();
    }

    /** The trimmed value; missing or blank is an error. */
    public String text(String key) {
        return optional(key).orElseThrow(() -> new SettingsException(named(key) + " is missing"));
    }

    /** The trimmed value; empty when absent or blank (a blank value is how a default of "none" is written). */
    public Optional<String> optional(String key) {
        return read(key, node -> node.asString().asOptional().map(String::trim).filter(v -> !v.isEmpty()));
    }

    /** An integer between {@code min} and {@code max} (inclusive). */
    public int integer(String key, int min, int max) {
        int value = read(key, node -> node.asInt().get());
        if (value < min || value > max) {
            throw outOfRange(key, String.valueOf(value), min + " and " + max);
        }
        return value;
    }

    /** A port: 0 (any free one) to 65535. */
    public int port(String key) {
        return integer(key, 0, 65_535);
    }

    /** A finite number between {@code min} and {@code max} (inclusive). */
    public double number(String key, double min, double max) {
        double value = read(key, node -> node.asDouble().get());
        if (!(value >= min && value <= max)) { // NaN fails too
            throw outOfRange(key, String.valueOf(value), min + " and " + max);
        }
        return value;
    }

    /** {@code true} or {@code false}, nothing else. */
    public boolean bool(String key) {
        var value = text(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException(named(key) + " is " + value + "; it must be true or false");
        };
    }

    /**
     * An ISO-8601 duration ({@code PT30S}) between {@code min} and {@code max} (inclusive): a period of zero, say,
     * would make a timer spin or refuse to start only once the service runs, so it is refused here.
     */
    public Duration duration(String key, Duration min, Duration max) {
        var value = read(key, node -> node.as(Duration.class).get());
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw outOfRange(key, value.toString(), min + " and " + max);
        }
        return value;
    }

    /** A comma-separated list, each entry trimmed, empty ones dropped; empty when absent. */
    public List<String> list(String key) {
        return optional(key)
                .map(value -> Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    /** An absolute URL with a scheme and a host; empty when absent or blank. */
    public Optional<URI> url(String key) {
        return optional(key).map(value -> {
            try {
                var uri = URI.create(value);
                if (uri.getScheme() != null && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException e) {
                // reported below, as a value without a scheme or host is
            }
            throw new SettingsException(named(key) + " is " + value + "; it must be a URL (scheme://host…)");
        });
    }

    /** One of {@code type}'s constants, written in lower case ({@code presence.target: topic}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        var value = text(key);
        for (var constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        var names = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList();
        throw new SettingsException(named(key) + " is " + value + "; it must be one of " + String.join(", ", names));
    }

    /** The value as {@code reader} maps it; a failure of the mapping names the key. */
    private <T> T read(String key, Function<Config, T> reader) {
        read.add(key);
        try {
            return reader.apply(config.get(key));
        } catch (ConfigException | IllegalArgumentException e) {
            throw new SettingsException(named(key) + " is missing or invalid: " + e.getMessage(), e);
        }
    }

    /** The config node itself, for a value with a structure of its own (a YAML list). */
    public Config node(String key) {
        read.add(key);
        return config.get(key);
    }

    /** Every key read so far (SettingsContract holds them to the defaults files). */
    Set<String> keysRead() {
        return Set.copyOf(read);
    }

    /** {@code config key node.heartbeat (NODE_HEARTBEAT)}: how every message names a setting. */
    public static String named(String key) {
        return "config key " + key + " (" + environmentName(key) + ")";
    }

    /** The environment variable Helidon maps to {@code key}: {@code node.heartbeat} is {@code NODE_HEARTBEAT}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static SettingsException outOfRange(String key, String value, String range) {
        return new SettingsException(named(key) + " is " + value + "; it must lie between " + range);
    }
}
