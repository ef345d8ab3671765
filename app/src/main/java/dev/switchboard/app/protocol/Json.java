package dev.switchboard.app.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/**
 * JSON with buffers from one pool shared by every thread. Jackson's default pool is per thread (a soft reference in a
 * thread local), and each connection reads on a virtual thread of its own: with it, every connection would keep
 * about 10 KB of Jackson's buffers from its first frame to its close. {@link JsonNode#toString()} takes that
 * default pool, whatever mapper made the node, so frames are written with {@link #text}.
 */
public final class Json {
    private static final ObjectMapper SHARED = mapper();

    private Json() {}

    /** A mapper whose parsers and generators take their buffers from the shared pool. */
    public static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build());
    }

    /** A tree as compact JSON text, as {@link JsonNode#toString()} writes it. */
    public static String text(JsonNode node) {
        try {
            return SHARED.writeValueAsString(node);
        } catch (JsonProcessingException e) { // a tree of Jackson's own nodes always writes
            throw new UncheckedIOException(e);
        }
    }
}
