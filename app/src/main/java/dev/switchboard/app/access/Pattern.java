package dev.switchboard.app.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A topic rule's pattern, parsed: literal text, {@code *} wildcards and claim placeholders ({@code {sub}}, {@code
 * {claim.NAME}}). {@link #resolve} puts a token's claims in place, giving patterns of literals and wildcards only.
 */
record Pattern(List<Part> parts) {
    /** A piece of a pattern. */
    sealed interface Part {}

    record Literal(String text) implements Part {}

    record Star() implements Part {}

    /** {@code claim} null: {@code {sub}}, the user. */
    record Placeholder(String claim) implements Part {}

    static Pattern parse(String pattern) {
        var parts = new ArrayList<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < pattern.length(); i++) {
            var c = pattern.charAt(i);
            if (c == '*' || c == '{') {
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                if (c == '*') {
                    parts.add(new Star());
                    continue;
                }
                var end = pattern.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed { in topic pattern " + pattern);
                }
                var name = pattern.substring(i + 1, end);
                if (name.equals("sub")) {
                    parts.add(new Placeholder(null));
                } else if (name.startsWith("claim.") && name.length() > "claim.".length()) {
                    parts.add(new Placeholder(name.substring("claim.".length())));
                } else {
                    throw new IllegalArgumentException("unknown placeholder {" + name + "} in topic pattern " + pattern
                            + "; use {sub} or {claim.NAME}");
                }
                i = end;
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new Pattern(List.copyOf(parts));
    }

    /**
     * The pattern with the token's claims in place: one per combination of a list claim's values (at most {@link
     * TopicRules#MAX_CLAIM_VALUES} in all); none when a claim it names is missing or empty.
     */
    List<Resolved> resolve(String userId, Map<String, Object> claims) {
        var results = new ArrayList<List<Object>>(); // each: Strings (literal) and Star
        results.add(new ArrayList<>());
        for (var part : parts) {
            List<String> options =
                    switch (part) {
                        case Literal(var text) -> List.of(text);
                        case Star star -> null;
                        case Placeholder(var claim) -> claim == null ? List.of(userId) : values(claims.get(claim));
                    };
            if (options == null) {
                results.forEach(r -> r.add(STAR));
                continue;
            }
            if (options.isEmpty()) {
                return List.of();
            }
            var next = new ArrayList<List<Object>>();
            for (var result : results) {
                for (var option : options) {
                    if (next.size() == TopicRules.MAX_CLAIM_VALUES) {
                        break;
                    }
                    var copy = new ArrayList<>(result);
                    copy.add(option);
                    next.add(copy);
                }
            }
            results = next;
        }
        return results.stream().map(Resolved::new).toList();
    }

    /** The pattern matching any claims: each placeholder a wildcard (what a topic's own settings are found by). */
    Resolved anyClaims() {
        var pieces = new ArrayList<Object>();
        for (var part : parts) {
            pieces.add(part instanceof Literal(var text) ? text : STAR);
        }
        return new Resolved(pieces);
    }

    /** A claim's values as text: a list's non-empty elements, else the value itself; none when absent or empty. */
    static List<String> values(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof Collection<?> list) {
            return list.stream()
                    .filter(v -> v != null && !String.valueOf(v).isEmpty())
                    .map(String::valueOf)
                    .limit(TopicRules.MAX_CLAIM_VALUES)
                    .toList();
        }
        var text = String.valueOf(claim);
        return text.isEmpty() ? List.of() : List.of(text);
    }

    private static final Object STAR = new Object();

    /** A pattern of literal text and wildcards: what a topic is matched against. */
    record Resolved(List<Object> pieces) {
        /** A granted pattern: {@code *} is a wildcard, everything else literal. */
        static Resolved glob(String pattern) {
            var pieces = new ArrayList<Object>();
            var literal = new StringBuilder();
            for (var i = 0; i < pattern.length(); i++) {
                var c = pattern.charAt(i);
                if (c == '*') {
                    if (!literal.isEmpty()) {
                        pieces.add(literal.toString());
                        literal.setLength(0);
                    }
                    pieces.add(STAR);
                } else {
                    literal.append(c);
                }
            }
            if (!literal.isEmpty()) {
                pieces.add(literal.toString());
            }
            return new Resolved(pieces);
        }

        Resolved {
            var merged = new ArrayList<Object>(); // adjacent literals joined, adjacent wildcards one
            for (var piece : pieces) {
                var previous = merged.isEmpty() ? null : merged.getLast();
                if (piece == STAR && previous == STAR) {
                    continue;
                }
                if (piece != STAR && previous instanceof String text) {
                    merged.set(merged.size() - 1, text + piece);
                } else {
                    merged.add(piece);
                }
            }
            pieces = List.copyOf(merged);
        }

        /**
         * Whether the whole topic matches: literals in order, each wildcard any run of characters. Linear: a leading
         * and a trailing literal are fixed, each literal between wildcards is taken where it first fits.
         */
        boolean matches(String topic) {
            if (!pieces.contains(STAR)) {
                return topic.equals(pieces.isEmpty() ? "" : pieces.getFirst());
            }
            var start = 0;
            var end = topic.length();
            var first = 0;
            var last = pieces.size();
            if (pieces.getFirst() instanceof String prefix) {
                if (!topic.startsWith(prefix)) {
                    return false;
                }
                start = prefix.length();
                first = 1;
            }
            if (pieces.getLast() instanceof String suffix) {
                if (end - suffix.length() < start || !topic.endsWith(suffix)) {
                    return false;
                }
                end -= suffix.length();
                last--;
            }
            for (var i = first; i < last; i++) {
                if (pieces.get(i) instanceof String text) {
                    var at = topic.indexOf(text, start);
                    if (at < 0 || at + text.length() > end) {
                        return false;
                    }
                    start = at + text.length();
                }
            }
            return true;
        }
    }
}
