package dev.switchboard.pusher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A stand-in for a node's Management API that holds every post (per connection, {@code /@connections/{id}}, or per
 * node, {@code /@deliveries}) until {@link #release()}, then answers 200: to catch a pusher in the middle of a
 * fan-out. Records what was posted; a per-node post is answered as a node does, each request delivered to one
 * connection.
 */
final class FakeNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<String> posts = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);

    FakeNode() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            var posted = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posts.add(posted);
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (exchange.getRequestURI().getPath().equals("/@deliveries")) {
                var results = JSON.createObjectNode();
                var answers = results.putArray("results");
                JSON.readTree(posted).path("requests").forEach(request -> answers.addObject()
                        .put("id", request.path("id").asText())
                        .put("delivered", 1)
                        .put("closed", 0)
                        .put("repeat", false));
                var body = results.toString().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    /** The {@code data} of every request posted per node, in the order posted, repeats included. */
    List<String> dataPosted() {
        var data = new ArrayList<String>();
        for (var post : posts) {
            try {
                JSON.readTree(post)
                        .path("requests")
                        .forEach(r -> data.add(r.path("data").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return data;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
