package io.loadstream.schemas.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry on loopback that gives canned JSON answers by request path and remembers every path
 * asked for, so that tests can see which calls the client makes. Paths without an answer get
 * Confluent's 404 with error code 40401.
 */
final class FakeRegistryServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();

    FakeRegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers GET {@code path} with {@code json}. */
    void answer(String path, String json) {
        answer(path, 200, json);
    }

    /** Answers GET {@code path} with HTTP {@code status} and {@code json}, an error for example. */
    void answer(String path, int status, String json) {
        answers.put(path, json);
        statuses.put(path, status);
    }

    /** The paths asked for so far, in order. */
    List<String> requested() {
        return List.copyOf(requested);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requested.add(path);
            String answer = answers.get(path);
            int status = answer == null ? 404 : statuses.getOrDefault(path, 200);
            if (answer == null) {
                answer = "{\"error_code\":40401,\"message\":\"Subject not found.\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", RegistryErrors.CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
