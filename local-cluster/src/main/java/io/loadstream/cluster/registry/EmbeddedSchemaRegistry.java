package io.loadstream.cluster.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.loadstream.schemas.registry.RegistryErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry that serves the Confluent Schema Registry REST API on loopback and keeps its
 * schemas in a compacted Kafka topic, used whenever no registry URL is given. Clients reach it over
 * HTTP exactly as they would reach Confluent's, so local runs and tests use the same code path.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry =
 *         EmbeddedSchemaRegistry.start(Map.of("bootstrap.servers", bootstrap), "loadstream._schemas")) {
 *     SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
 * }
 * }</pre>
 *
 * <p>Reads: the schema topic. Writes: the schema topic (subjects, versions with their schema
 * references, and compatibility levels). Not served: deleting subjects or versions, the schemas
 * that refer to a version ({@code referencedby}), modes, contexts and non-Avro schema types.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaStore store;
    private final RegistryRoutes routes;
    private final HttpServer server;
    private final ExecutorService executor;

    private EmbeddedSchemaRegistry(SchemaStore store, int port) throws IOException {
        this.store = store;
        this.routes = new RegistryRoutes(store);
        this.server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger threads = new AtomicInteger();
        this.executor =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread t =
                                    new Thread(
                                            r, "schema-registry-http-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /**
     * Starts a registry on a free loopback port, keeping schemas in {@code topic} (created
     * compacted if missing) of the cluster that {@code kafkaConfig} reaches.
     */
    public static EmbeddedSchemaRegistry start(Map<String, Object> kafkaConfig, String topic) {
        return start(kafkaConfig, topic, 0);
    }

    /** As {@link #start(Map, String)}, on a given port (0 for a free one). */
    public static EmbeddedSchemaRegistry start(
            Map<String, Object> kafkaConfig, String topic, int port) {
        long started = System.nanoTime();
        SchemaStore store = new SchemaStore(kafkaConfig, topic);
        try {
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(store, port);
            log.info(
                    "Embedded schema registry serving {} in {} ms, schemas in topic {}",
                    registry.url(),
                    (System.nanoTime() - started) / 1_000_000,
                    topic);
            if (store.unreadableRecords() > 0) {
                log.warn(
                        "{} unreadable records of topic {} were skipped (logged above)",
                        store.unreadableRecords(),
                        topic);
            }
            return registry;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw new IllegalStateException(
                    "cannot start the embedded schema registry: " + e.getMessage(), e);
        }
    }

    /** Records of the schemas topic skipped so far because they could not be read. */
    public long unreadableRecords() {
        return store.unreadableRecords();
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            Object answer;
            try {
                JsonNode body = readBody(exchange.getRequestBody());
                answer =
                        routes.handle(
                                exchange.getRequestMethod(),
                                exchange.getRequestURI().getRawPath(),
                                new RegistryRoutes.Query(
                                        query(exchange.getRequestURI().getRawQuery())),
                                body);
            } catch (RegistryError e) {
                status = e.status;
                answer = error(e.errorCode, e.getMessage());
            } catch (IOException e) {
                status = 400;
                answer = error(400, "Unrecognized request body: " + e.getMessage());
            } catch (RuntimeException e) {
                log.warn("schema registry request failed", e);
                status = 500;
                answer =
                        error(
                                RegistryErrors.BACKEND_STORE_ERROR,
                                "Error in the backend store: " + e);
            }
            byte[] bytes =
                    answer instanceof String text
                            ? text.getBytes(StandardCharsets.UTF_8)
                            : JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", RegistryErrors.CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? null : JSON.readTree(bytes);
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> error = new HashMap<>();
        error.put("error_code", code);
        error.put("message", message);
        return error;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "true" : pair.substring(eq + 1);
            params.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        store.close();
    }
}
