package io.loadstream.producers.http;

import io.loadstream.avro.Outcome;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.DriverResponse;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A {@link Driver} that makes HTTP requests with a non-blocking Vert.x client of its own.
 *
 * <p>Connections are pooled and kept alive, at most {@link HttpClientSettings#maxConnections()} to
 * each host and port; requests beyond them wait for a free connection, within their timeout. With
 * {@link HttpClientSettings#http2()} requests are multiplexed over HTTP/2 connections (h2c on
 * {@code http}, ALPN on {@code https}). TLS trusts the JDK's default trust store unless {@link
 * HttpClientSettings#trustAll()}.
 *
 * <p>Latency runs on {@code nanoClock} from just before the request is handed to the client to the
 * end of the response body. The outcome is SUCCESS for an expected status ({@link
 * HttpEndpoint#isExpected}), HTTP_ERROR with the status otherwise, TIMEOUT when the endpoint's
 * timeout passes first, CONNECT_ERROR when the connection is refused, reset or closed before the
 * response begins, and OTHER with the error text for anything else. Bytes sent are an estimate of
 * the request's head plus its body (see {@link PreparedRequest}); bytes received are the length of
 * the response body.
 *
 * <p>{@link #send} never blocks, never throws, and its future never completes exceptionally;
 * answers arrive on Vert.x event-loop threads. There is one event loop per core; requests sent from
 * other threads are spread over them in turn, and a request sent from an answer (a closed loop)
 * stays on the event loop of that answer. Closing answers requests still in flight as OTHER.
 *
 * <pre>{@code
 * try (HttpDriver driver = new HttpDriver(
 *         List.of(HttpEndpoint.get("home", URI.create("http://127.0.0.1:8080/"),
 *                 Duration.ofSeconds(2))),
 *         HttpClientSettings.defaults().withMaxConnections(16))) {
 *     DriverResponse response = driver.send(0).join();
 * }
 * }</pre>
 */
public final class HttpDriver implements Driver {

    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    /** One event loop per core: more only take turns on the cores. */
    private static final int EVENT_LOOPS = Runtime.getRuntime().availableProcessors();

    private final List<HttpEndpoint> endpoints;
    private final HttpClientSettings settings;
    private final PreparedRequest[] prepared;
    private final LongSupplier nanoClock;
    private final Vertx vertx;
    private final HttpClientAgent client;
    private final Set<HttpExchange> inFlight = ConcurrentHashMap.newKeySet();
    private final EventLoopLane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final int maxConnections;
    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile boolean closed;

    /** A driver on {@code System.nanoTime()}. */
    public HttpDriver(List<HttpEndpoint> endpoints, HttpClientSettings settings) {
        this(endpoints, settings, System::nanoTime);
    }

    /**
     * @param endpoints the request templates, sent by their index in this list
     * @param settings connections, protocol and trust
     * @param nanoClock measures latency
     */
    public HttpDriver(
            List<HttpEndpoint> endpoints, HttpClientSettings settings, LongSupplier nanoClock) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("an HTTP driver needs at least one endpoint");
        }
        this.endpoints = List.copyOf(endpoints);
        this.settings = settings;
        this.prepared =
                this.endpoints.stream().map(PreparedRequest::of).toArray(PreparedRequest[]::new);
        this.nanoClock = nanoClock;
        this.maxConnections = settings.maxConnections();
        // no file caching: a driver leaves nothing behind on disk
        this.vertx =
                Vertx.vertx(
                        new VertxOptions()
                                .setEventLoopPoolSize(EVENT_LOOPS)
                                .setFileSystemOptions(
                                        new FileSystemOptions()
                                                .setFileCachingEnabled(false)
                                                .setClassPathResolvingEnabled(false)));
        // requests made from a thread of Vert.x's own all go to one event loop (its sticky one),
        // which then holds every connection: a lane per event loop spreads them instead
        this.lanes = new EventLoopLane[EVENT_LOOPS];
        for (int i = 0; i < EVENT_LOOPS; i++) {
            lanes[i] =
                    new EventLoopLane(
                            ((VertxInternal) vertx).createEventLoopContext(), this::start);
        }
        this.client =
                vertx.httpClientBuilder()
                        .with(clientOptions(settings))
                        .with(
                                new PoolOptions()
                                        .setHttp1MaxSize(settings.maxConnections())
                                        .setHttp2MaxSize(settings.maxConnections()))
                        .withConnectHandler(
                                connection -> {
                                    openConnections.incrementAndGet();
                                    connection.closeHandler(
                                            closed -> openConnections.decrementAndGet());
                                })
                        .build();
    }

    /** The endpoints, in the order of their indexes. */
    public List<HttpEndpoint> endpoints() {
        return endpoints;
    }

    @Override
    public CompletableFuture<DriverResponse> send(int endpointIndex) {
        if (endpointIndex < 0 || endpointIndex >= prepared.length) {
            return other("no endpoint " + endpointIndex + " among " + prepared.length);
        }
        if (closed) {
            return other("HTTP driver is closed");
        }
        HttpExchange exchange =
                new HttpExchange(vertx, prepared[endpointIndex], nanoClock, inFlight::remove);
        inFlight.add(exchange);
        ContextInternal current = ContextInternal.current();
        if (current != null && current.owner() == vertx && current.isEventLoopContext()) {
            // sent from an answer (a closed loop): stay on the event loop that answered
            start(exchange);
        } else {
            // from any other thread: the event loops take turns
            lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)].submit(exchange);
        }
        return exchange.answer();
    }

    private void start(HttpExchange exchange) {
        try {
            exchange.start(client);
        } catch (RuntimeException e) {
            exchange.abandon(HttpFailures.describe(e));
        }
    }

    /**
     * Opens up to {@code maxConnections} connections to each host and port of the endpoints, TLS
     * handshakes included, by sending that many of the endpoints' requests to each at once and
     * waiting for their answers: the pool keeps the connections alive for the run. HTTP/2
     * multiplexes the requests over fewer connections.
     *
     * @return connections open when the answers are in or the timeout passed
     */
    @Override
    public int prepare(Duration timeout) {
        List<CompletableFuture<DriverResponse>> answers = new ArrayList<>();
        for (List<Integer> sameOrigin : endpointsByOrigin().values()) {
            for (int i = 0; i < maxConnections; i++) {
                answers.add(send(sameOrigin.get(i % sameOrigin.size())));
            }
        }
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // not ready in time: the run starts with the connections there are
        }
        return openConnections.get();
    }

    /** Endpoint indexes by scheme, host and port, in the order they first appear. */
    private Map<String, List<Integer>> endpointsByOrigin() {
        Map<String, List<Integer>> byOrigin = new LinkedHashMap<>();
        for (int i = 0; i < endpoints.size(); i++) {
            URI uri = endpoints.get(i).url();
            byOrigin.computeIfAbsent(
                            uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort(),
                            origin -> new ArrayList<>())
                    .add(i);
        }
        return byOrigin;
    }

    /**
     * A driver of the same endpoints against a {@link LoopbackStandIn}: warm-up calls compile this
     * driver's code without reaching the target, as many as the warm-up needs, at loopback speed.
     * Closing it stops the stand-in.
     */
    @Override
    public Driver warmUpDriver() {
        return LoopbackStandIn.start(vertx, endpoints, settings);
    }

    /**
     * Closes the connections and stops the event loops, waiting up to 10 s; requests still in
     * flight are answered as OTHER.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close()
                    .eventually(vertx::close)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing is best effort: what is left is answered below
        } finally {
            for (HttpExchange exchange : inFlight) {
                exchange.abandon("HTTP driver closed");
            }
        }
    }

    private static HttpClientOptions clientOptions(HttpClientSettings settings) {
        HttpClientOptions options =
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout(
                                (int)
                                        Math.min(
                                                Integer.MAX_VALUE,
                                                settings.connectTimeout().toMillis()))
                        .setTrustAll(settings.trustAll())
                        .setVerifyHost(!settings.trustAll());
        if (settings.http2()) {
            options.setProtocolVersion(HttpVersion.HTTP_2)
                    .setUseAlpn(true)
                    .setHttp2ClearTextUpgrade(settings.h2cUpgrade());
        }
        return options;
    }

    private static CompletableFuture<DriverResponse> other(String error) {
        return CompletableFuture.completedFuture(
                new DriverResponse(Outcome.OTHER, 0, 0, 0, 0, error));
    }
}
