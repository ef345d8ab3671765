package dev.switchboard.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) for tests, collecting the text frames it receives. */
public final class TestClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames;
    private final CompletableFuture<Integer> closed;
    private final WebSocket socket;

    private TestClient(WebSocket socket, BlockingQueue<String> frames, CompletableFuture<Integer> closed) {
        this.socket = socket;
        this.frames = frames;
        this.closed = closed;
    }

    public static TestClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    public static TestClient connect(URI uri, String bearer) {
        return connect(uri, bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer));
    }

    /** Connects with these handshake headers ({@code Origin}, {@code Authorization}, …). */
    public static TestClient connect(URI uri, Map<String, String> headers) {
        var frames = new LinkedBlockingQueue<String>();
        var closed = new CompletableFuture<Integer>();
        var listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    frames.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
        var builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(DEADLINE);
        headers.forEach(builder::header);
        return new TestClient(builder.buildAsync(uri, listener).join(), frames, closed);
    }

    public TestClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public TestClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    /** The next frame, as JSON; fails when none arrives before the deadline. */
    public JsonNode next() throws Exception {
        var frame = frames.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + DEADLINE);
        }
        return JSON.readTree(frame);
    }

    /** The next frame of a type, skipping others. */
    public JsonNode next(String type) throws Exception {
        while (true) {
            var frame = next();
            if (type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
    }

    /** Whether a frame arrives within a short time (for asserting that none does). */
    public boolean receivesWithin(Duration duration) throws InterruptedException {
        return frames.poll(duration.toMillis(), TimeUnit.MILLISECONDS) != null;
    }

    /** A SUMU ping answered proves the connection is up and served. */
    public String pingForConnectionId() throws Exception {
        send("{\"action\":\"ping\"}");
        return next("pong").path("connectionId").asText();
    }

    /** Drops the TCP connection without a close handshake, as a vanished peer does. */
    public void abort() {
        socket.abort();
    }

    /** Completes with the close code when the server closes the connection. */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
    }
}
