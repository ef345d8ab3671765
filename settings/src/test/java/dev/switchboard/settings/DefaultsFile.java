package dev.switchboard.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The keys a defaults file declares, read from its text so that each key's comment is seen too: a file of nested
 * mappings whose leaves are scalars, each leaf written {@code key: value  # VARIABLE: what it does}. The form every
 * defaults file of ours has; anything else (a list, a flow mapping) is refused, naming the line.
 */
public record DefaultsFile(String resource, List<Entry> entries) {
    /**
     * One key.
     *
     * @param key the full dotted key ({@code node.heartbeat})
     * @param value its default, unquoted; empty for "not set"
     * @param comment the text after the value's {@code #}, trimmed; empty when there is none
     * @param line where it is, for messages
     */
    public record Entry(String key, String value, String comment, int line) {}

    /** Reads {@code resource} from the class path. */
    public static DefaultsFile read(String resource) {
        try (var in = DefaultsFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no class path resource " + resource);
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    static DefaultsFile parse(String resource, String text) {
        var entries = new ArrayList<Entry>();
        Deque<Parent> parents = new ArrayDeque<>();
        var lines = text.split("\n", -1);
        for (var i = 0; i < lines.length; i++) {
            var line = lines[i].stripTrailing();
            var content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            var where = resource + ":" + (i + 1);
            var indent = line.length() - line.stripLeading().length();
            while (!parents.isEmpty() && parents.peek().indent() >= indent) {
                parents.pop();
            }
            var colon = content.indexOf(':');
            if (colon <= 0 || content.startsWith("-")) {
                throw new IllegalArgumentException(where + ": not a key of a mapping: " + content);
            }
            var name = content.substring(0, colon);
            var rest = content.substring(colon + 1);
            var valueEnd = commentStart(rest);
            var value = rest.substring(0, valueEnd).strip();
            var comment =
                    valueEnd < rest.length() ? rest.substring(valueEnd + 1).strip() : "";
            var key = parents.isEmpty() ? name : parents.peek().key() + "." + name;
            if (value.isEmpty()) {
                parents.push(new Parent(indent, key));
                continue;
            }
            if (value.startsWith("[") || value.startsWith("{")) {
                throw new IllegalArgumentException(where + ": a flow collection; write a scalar, quoted if need be");
            }
            entries.add(new Entry(key, unquote(value), comment, i + 1));
        }
        return new DefaultsFile(resource, List.copyOf(entries));
    }

    /** Where the comment starts: the first {@code #} outside quotes after a space, else the end. */
    private static int commentStart(String rest) {
        char quote = 0;
        for (var i = 0; i < rest.length(); i++) {
            var c = rest.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(rest.charAt(i - 1)))) {
                return i;
            }
        }
        return rest.length();
    }

    private static String unquote(String value) {
        var quoted = value.length() >= 2
                && ((value.startsWith("\"") && value.endsWith("\"")) || (value.startsWith("'") && value.endsWith("'")));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private record Parent(int indent, String key) {}
}
