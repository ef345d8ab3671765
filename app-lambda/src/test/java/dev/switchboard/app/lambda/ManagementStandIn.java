package dev.switchboard.app.lambda;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for API Gateway's Management API over real HTTP: records every {@code POST /@connections/{id}} body,
 * answers 200, or 410 Gone for the connections marked gone — what the real API answers for a closed connection.
 */
final class ManagementStandIn implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, List<String>> posts = new ConcurrentHashMap<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();

    ManagementStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/@connections/", exchange -> {
            var path = exchange.getRequestURI().getRawPath();
            var id = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
            } else if (gone.contains(id)) {
                var answer = "{\"message\":\"Gone\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "GoneException");
                exchange.sendResponseHeaders(410, answer.length);
                exchange.getResponseBody().write(answer);
            } else {
                posts.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(body);
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What was posted to a connection, in order. */
    List<String> postsTo(String connectionId) {
        return List.copyOf(posts.getOrDefault(connectionId, List.of()));
    }

    void markGone(String connectionId) {
        gone.add(connectionId);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
