package io.loadstream.schemas.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves a Prometheus registry's scrape as text on {@code /metrics}, for {@code --metrics-port}.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    private final HttpServer server;

    private PrometheusEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Starts serving {@code registry} on {@code host:port} (port 0 for a free one). */
    public static PrometheusEndpoint start(
            PrometheusMeterRegistry registry, String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext(
                    "/metrics",
                    exchange -> {
                        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders()
                                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                        exchange.sendResponseHeaders(200, body.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    });
            server.start();
            return new PrometheusEndpoint(server);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The port metrics are served on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
