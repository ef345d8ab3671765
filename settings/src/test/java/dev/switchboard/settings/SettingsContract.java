package dev.switchboard.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What every module's settings promise, checked against the module's own defaults files, so that no list of keys or
 * variables is kept by hand (Airlift's full-mapping config test, generated): every key a defaults file declares is
 * documented with its environment variable, read by the module, and reached by that variable (set to another value,
 * the settings read differ); and the module reads no key the files do not declare. The checks see the settings only
 * through their {@code equals}, so settings types are records (or define it).
 *
 * <p>Other values are derived from each default (a number plus one, a duration plus a second, a boolean flipped, text
 * with a suffix); a key whose values are constrained (a choice, a URL, a key left unset) is given one with {@link
 * #alternative}.
 */
public final class SettingsContract {
    private final Function<Settings, ?> reader;
    private final List<String> defaults;
    private final List<String> borrowed = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> alternatives = new HashMap<>();
    private final Map<String, String> readElsewhere = new HashMap<>();

    private SettingsContract(Function<Settings, ?> reader, List<String> defaults) {
        this.reader = reader;
        this.defaults = List.copyOf(defaults);
    }

    /** The settings {@code reader} reads, whose every key and default {@code defaults} declare (class path resources). */
    public static SettingsContract of(Function<Settings, ?> reader, String... defaults) {
        return new SettingsContract(reader, List.of(defaults));
    }

    /**
     * Defaults files of another module's whose keys this reader reads only some of (the serverless gateway reads part
     * of the gateway's): read after the module's own; a key of theirs that is read must still be reached.
     */
    public SettingsContract borrowing(List<String> resources) {
        borrowed.addAll(resources);
        return this;
    }

    /** A variable every read is given: what the module needs to start at all, or to read the same twice. */
    public SettingsContract environment(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    /** Another valid value of {@code variable}, for a key whose default says nothing of which values are valid. */
    public SettingsContract alternative(String variable, String value) {
        return alternative(variable, Map.of(variable, value));
    }

    /**
     * Another valid value of {@code variable} that is valid only with other variables changed too ({@code changes},
     * which names {@code variable}): a secret that replaces a JWKS URI, say.
     */
    public SettingsContract alternative(String variable, Map<String, String> changes) {
        if (!changes.containsKey(variable)) {
            throw new IllegalArgumentException("the changes must set " + variable);
        }
        alternatives.put(variable, Map.copyOf(changes));
        return this;
    }

    /** A declared key this reader does not read, because {@code reader} (another module's settings) does. */
    public SettingsContract readElsewhere(String key, String reader) {
        readElsewhere.put(key, reader);
        return this;
    }

    /** Every broken promise, one sentence each; empty when all are kept. */
    public List<String> problems() {
        var problems = new ArrayList<String>();
        var entries = new LinkedHashMap<String, DefaultsFile.Entry>();
        var owned = new java.util.HashSet<String>();
        var files = new ArrayList<>(defaults);
        files.addAll(borrowed);
        for (var resource : files) {
            var file = DefaultsFile.read(resource);
            for (var entry : file.entries()) {
                var where = resource + ":" + entry.line();
                var variable = Settings.environmentName(entry.key());
                if (!entry.comment().equals(variable) && !entry.comment().startsWith(variable + ":")) {
                    problems.add(where + ": the comment of " + entry.key() + " must begin with its variable, "
                            + variable + " (it reads \"" + entry.comment() + "\")");
                }
                if (entries.putIfAbsent(entry.key(), entry) != null) {
                    problems.add(where + ": " + entry.key() + " is declared in two defaults files");
                }
                if (defaults.contains(resource)) {
                    owned.add(entry.key());
                }
            }
        }
        Object baseline;
        Settings settings;
        try {
            settings = Settings.of(Settings.fromEnvironment(files, environment));
            baseline = reader.apply(settings);
            if (!baseline.equals(reader.apply(Settings.of(Settings.fromEnvironment(files, environment))))) {
                problems.add("two reads of the same settings differ: give every random default a fixed value"
                        + " with environment(...)");
                return problems;
            }
        } catch (RuntimeException e) {
            problems.add("the defaults with " + environment + " are refused: " + e.getMessage());
            return problems;
        }
        var read = settings.keysRead();
        for (var key : new TreeSet<>(read)) {
            if (!entries.containsKey(key)) {
                problems.add(key + " (" + Settings.environmentName(key) + ") is read but declared in none of " + files);
            }
        }
        for (var entry : entries.values()) {
            var key = entry.key();
            if (readElsewhere.containsKey(key) || (!owned.contains(key) && !read.contains(key))) {
                continue;
            }
            if (!read.contains(key)) {
                problems.add(key + " is declared in " + defaults + " but never read");
                continue;
            }
            reaches(entry, files, baseline).ifPresent(problems::add);
        }
        return problems;
    }

    /**
     * Empty when the key's variable, set to another value, changes the settings read: the given alternative, else the
     * first of the values derived from the default that the reader accepts.
     */
    private Optional<String> reaches(DefaultsFile.Entry entry, List<String> files, Object baseline) {
        var variable = Settings.environmentName(entry.key());
        var candidates = alternatives.containsKey(variable)
                ? List.of(alternatives.get(variable))
                : othersThan(entry.value()).stream()
                        .map(value -> Map.of(variable, value))
                        .toList();
        if (candidates.isEmpty()) {
            return Optional.of(entry.key() + " has no default to derive another value from: give one with"
                    + " alternative(\"" + variable + "\", ...)");
        }
        var refusals = new ArrayList<String>();
        for (var other : candidates) {
            var changed = new LinkedHashMap<>(environment);
            changed.putAll(other);
            try {
                var settings = reader.apply(Settings.of(Settings.fromEnvironment(files, changed)));
                return settings.equals(baseline)
                        ? Optional.of(other + " does not change the settings: it does not reach " + entry.key()
                                + ", or the value read is not part of the settings")
                        : Optional.empty();
            } catch (RuntimeException e) {
                refusals.add(other + " is refused (" + e.getMessage() + ")");
            }
        }
        return Optional.of(
                String.join("; ", refusals) + ": give a valid other value with alternative(\"" + variable + "\", ...)");
    }

    /** Other values of the same kind: a number one up or down, a duration a second longer or shorter, and so on. */
    private static List<String> othersThan(String value) {
        if (value.isEmpty()) {
            return List.of();
        }
        if (value.equals("true") || value.equals("false")) {
            return List.of(String.valueOf(!Boolean.parseBoolean(value)));
        }
        if (value.matches("-?\\d+")) {
            var number = Long.parseLong(value);
            return List.of(String.valueOf(number + 1), String.valueOf(number - 1));
        }
        if (value.matches("-?\\d+\\.\\d+")) {
            var number = Double.parseDouble(value);
            return List.of(String.valueOf(number + 1), String.valueOf(number / 2));
        }
        if (value.startsWith("P")) {
            try {
                var duration = Duration.parse(value);
                return List.of(
                        duration.plusSeconds(1).toString(),
                        duration.minusSeconds(1).toString());
            } catch (DateTimeParseException e) {
                // not a duration: text
            }
        }
        return List.of(value + "-other");
    }
}
