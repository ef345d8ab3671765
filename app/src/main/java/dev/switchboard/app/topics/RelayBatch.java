package dev.switchboard.app.topics;

import dev.switchboard.app.protocol.MalformedBodyException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /@topics} between our own nodes: publishes, each as {@code <n>:<topic><m>:<frame>} where
 * {@code n} and {@code m} are the lengths (in UTF-16 code units, decimal) of what follows; a frame for the topic's
 * presence members only (join, leave) starts with {@code ~}, a message of a topic with history with {@code
 * @<offset>:}. Frames travel as the client sent them, so nothing is
 * escaped or parsed on either side.
 */
final class RelayBatch {
    /**
     * One publish in a batch.
     *
     * @param membersOnly for the topic's presence members, not every subscriber
     */
    record Relayed(String topic, String frame, boolean membersOnly, long offset) {
        public Relayed(String topic, String frame) {
            this(topic, frame, false, -1);
        }

        public Relayed(String topic, String frame, boolean membersOnly) {
            this(topic, frame, membersOnly, -1);
        }
    }

    private static final char MEMBERS_ONLY = '~';
    private static final char OFFSET = '@';

    private RelayBatch() {}

    public static String encode(List<Relayed> batch) {
        var size = batch.stream()
                .mapToInt(r -> r.topic().length() + r.frame().length() + 16)
                .sum();
        var out = new StringBuilder(size);
        for (var relayed : batch) {
            if (relayed.membersOnly()) {
                out.append(MEMBERS_ONLY);
            }
            if (relayed.offset() >= 0) {
                out.append(OFFSET).append(relayed.offset()).append(':');
            }
            out.append(relayed.topic().length()).append(':').append(relayed.topic());
            out.append(relayed.frame().length()).append(':').append(relayed.frame());
        }
        return out.toString();
    }

    /**
     * @throws MalformedBodyException when the body is not a batch, naming the offset
     */
    public static List<Relayed> decode(String body) {
        var batch = new ArrayList<Relayed>();
        var at = new int[] {0};
        while (at[0] < body.length()) {
            var membersOnly = body.charAt(at[0]) == MEMBERS_ONLY;
            if (membersOnly) {
                at[0]++;
            }
            var offset = -1L;
            if (at[0] < body.length() && body.charAt(at[0]) == OFFSET) {
                var colon = body.indexOf(':', at[0]);
                try {
                    offset = Long.parseLong(body, at[0] + 1, colon < 0 ? at[0] + 1 : colon, 10);
                } catch (NumberFormatException e) {
                    throw new MalformedBodyException("relay batch: bad offset at " + at[0], e);
                }
                at[0] = colon + 1;
            }
            var topic = field(body, at);
            var frame = field(body, at);
            batch.add(new Relayed(topic, frame, membersOnly, offset));
        }
        return batch;
    }

    private static String field(String body, int[] at) {
        var colon = body.indexOf(':', at[0]);
        if (colon <= at[0] || colon - at[0] > 9) {
            throw new MalformedBodyException("relay batch: no length at offset " + at[0]);
        }
        int length;
        try {
            length = Integer.parseInt(body, at[0], colon, 10);
        } catch (NumberFormatException e) {
            throw new MalformedBodyException("relay batch: bad length at offset " + at[0], e);
        }
        var end = colon + 1 + length;
        if (length < 0 || end > body.length()) {
            throw new MalformedBodyException("relay batch: field at offset " + at[0] + " runs past the end");
        }
        at[0] = end;
        return body.substring(colon + 1, end);
    }
}
