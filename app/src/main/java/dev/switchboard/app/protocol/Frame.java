package dev.switchboard.app.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A client frame, parsed: one of the two dialects' verbs, or {@link Invalid} with the error to answer. */
public sealed interface Frame {
    /** SUMU {@code {"action":"ping"}}. */
    record Ping() implements Frame {}

    /** SUMU {@code {"action":"send","message":…}}: to the messages queue. */
    record Send(JsonNode message) implements Frame {}

    /** SUMU {@code {"action":"publish","message":…}}: to the messages topic. */
    record Publish(JsonNode message) implements Frame {}

    /**
     * y-webrtc {@code {"type":"subscribe","topics":[…]}}, with our {@code "presence":true} to be a member of the
     * topics' presence as well (y-webrtc's clients never send it).
     */
    record Subscribe(List<String> topics, boolean presence, Map<String, Since> since) implements Frame {
        public Subscribe(List<String> topics) {
            this(topics, false, Map.of());
        }

        public Subscribe(List<String> topics, boolean presence) {
            this(topics, presence, Map.of());
        }
    }

    /** Where a client left a topic with history: {@code "since":{"t":{"offset":…,"epoch":…}}}. */
    record Since(long offset, String epoch) {}

    /** {@code {"type":"history","topic":…,"limit":…}}: the topic's last messages. */
    record HistoryQuery(String topic, int limit) implements Frame {}

    /**
     * {@code {"type":"presence","topic":…,"cursor":…,"limit":…}}: one page of the topic's members.
     *
     * @param after the previous page's {@code cursor}
     */
    record PresenceQuery(String topic, Optional<String> after, int limit) implements Frame {}

    /** y-webrtc {@code {"type":"unsubscribe","topics":[…]}}. */
    record Unsubscribe(List<String> topics) implements Frame {}

    /**
     * y-webrtc {@code {"type":"publish","topic":"t",…}}: the whole frame goes to every subscriber of the topic.
     *
     * @param text the frame as the client sent it, relayed byte for byte (plus {@code clients})
     */
    record TopicPublish(String topic, ObjectNode frame, String text) implements Frame {
        /** The frame as relayed: as sent, plus {@code "clients": N}, as y-webrtc's server does (it replaces one). */
        public String withClients(int clients) {
            if (frame.has("clients")) {
                return Json.text(frame.deepCopy().put("clients", clients));
            }
            var end = text.lastIndexOf('}');
            return text.substring(0, end) + ",\"clients\":" + clients + text.substring(end);
        }

        /** As {@link #withClients}, with the topic's {@code offset} and {@code epoch} (a topic with history). */
        public String withPosition(int clients, String epoch, long offset) {
            if (frame.has("clients") || frame.has("offset") || frame.has("epoch")) {
                return Json.text(frame.deepCopy()
                        .put("clients", clients)
                        .put("offset", offset)
                        .put("epoch", epoch));
            }
            var end = text.lastIndexOf('}');
            return text.substring(0, end) + ",\"clients\":" + clients + ",\"offset\":" + offset + ",\"epoch\":"
                    + new TextNode(epoch) + text.substring(end);
        }
    }

    /** {@code {"type":"refresh","token":…}}: a fresh token for this connection, before its own expires. */
    record Refresh(String token) implements Frame {
        @Override
        public String toString() {
            return "Refresh[token=…]"; // never a token in a log
        }
    }

    /** y-webrtc {@code {"type":"ping"}}. */
    record TopicPing() implements Frame {}

    /** Not a frame we take; {@code code} and {@code message} are what the client is told. */
    record Invalid(ErrorCode code, String message) implements Frame {}
}
