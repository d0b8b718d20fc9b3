package io.loadstream.producers.http;

import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.DriverResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the warm-up calls of an {@link HttpDriver} go: an HTTP server of its own on loopback that
 * answers every request at once with 200, and a driver with the same endpoints, headers, bodies,
 * timeouts and client settings whose URLs point at it (any 2xx counts as success there). So the
 * client, timing and publishing code is compiled before the run's time 0 by as many calls as it
 * takes, at the speed of loopback, and the target sees none of them. TLS is not exercised: the
 * stand-in speaks plain HTTP (HTTP/2 over h2c when the settings ask for HTTP/2).
 */
final class LoopbackStandIn implements Driver {

    private static final long START_TIMEOUT_SECONDS = 10;
    private static final Buffer ANSWER = Buffer.buffer("ok");

    private final HttpServer server;
    private final HttpDriver driver;

    private LoopbackStandIn(HttpServer server, HttpDriver driver) {
        this.server = server;
        this.driver = driver;
    }

    /**
     * Starts the server on a free loopback port, on {@code vertx} (the run driver's, idle while the
     * warm-up runs), and a driver of {@code endpoints} pointed at it.
     *
     * @throws IllegalStateException when the server cannot listen on loopback
     */
    static LoopbackStandIn start(
            Vertx vertx, List<HttpEndpoint> endpoints, HttpClientSettings settings) {
        try {
            HttpServer server =
                    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                            .requestHandler(
                                    request ->
                                            request.body()
                                                    .onComplete(
                                                            body -> request.response().end(ANSWER)))
                            .listen()
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int port = server.actualPort();
            List<HttpEndpoint> local =
                    endpoints.stream().map(endpoint -> pointedAt(endpoint, port)).toList();
            return new LoopbackStandIn(server, new HttpDriver(local, settings));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(
                    "cannot start the warm-up's stand-in server on 127.0.0.1: " + e, e);
        }
    }

    @Override
    public CompletableFuture<DriverResponse> send(int endpointIndex) {
        return driver.send(endpointIndex);
    }

    /** Stops the driver, then the server. */
    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            server.close();
        }
    }

    /** {@code endpoint} with its URL's scheme, host and port replaced by the stand-in's. */
    private static HttpEndpoint pointedAt(HttpEndpoint endpoint, int port) {
        URI url = endpoint.url();
        String path =
                url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        return new HttpEndpoint(
                endpoint.name(),
                endpoint.method(),
                URI.create("http://127.0.0.1:" + port + path + query),
                endpoint.headers(),
                endpoint.body(),
                endpoint.timeout(),
                Set.of());
    }
}
