package io.loadstream.producers.target;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * An HTTP service for demos and tests that answers like the endpoints of a {@link TargetConfig},
 * with their latencies, body sizes and errors, and goes wrong as its fault schedule says.
 *
 * <pre>{@code
 * long now = System.currentTimeMillis();
 * try (TargetServer target = TargetServer.start(config, "127.0.0.1", 0, now)) {
 *     URI search = URI.create(target.baseUrl() + "/search");
 *     ...
 * }
 * }</pre>
 *
 * <p>Each endpoint answers on its path, whatever the method; {@code /health} answers 200 and any
 * other path 404. The fault schedule's time 0 is {@code originEpochMillis}: a request arriving at
 * epoch millisecond {@code t} is planned for {@code t - originEpochMillis}. Answers wait on
 * event-loop timers, never blocking a thread, on a few event loops sharing the port.
 */
public final class TargetServer implements AutoCloseable {

    private static final long START_STOP_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final String host;
    private final RequestCounts counts;
    private final MeterRegistry registry;
    private int port;
    private boolean closed;

    private TargetServer(Vertx vertx, String host, MeterRegistry registry) {
        this.vertx = vertx;
        this.host = host;
        this.registry = registry;
        this.counts = new RequestCounts(registry);
    }

    /**
     * Starts a target and returns once it listens.
     *
     * @param host the address to listen on, such as {@code 127.0.0.1}
     * @param port the port; 0 for a free one
     * @param originEpochMillis epoch milliseconds at which the fault schedule's time 0 is
     * @throws IllegalStateException when it cannot listen, such as when the port is in use
     */
    public static TargetServer start(
            TargetConfig config, String host, int port, long originEpochMillis) {
        return start(
                config,
                host,
                port,
                originEpochMillis,
                System::currentTimeMillis,
                AnswerTimer.EVENT_LOOP);
    }

    /**
     * As {@link #start(TargetConfig, String, int, long)}, with the clock of arrival times and the
     * timer that delays answers.
     */
    static TargetServer start(
            TargetConfig config,
            String host,
            int port,
            long originEpochMillis,
            LongSupplier epochMillisClock,
            AnswerTimer answerTimer) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        int eventLoops = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        TargetServer server = new TargetServer(vertx, host, new SimpleMeterRegistry());
        TargetVerticle.Shared shared =
                new TargetVerticle.Shared(
                        TargetVerticle.Shared.served(config),
                        new ResponsePlanner(config),
                        server.counts,
                        epochMillisClock,
                        originEpochMillis,
                        answerTimer);
        try {
            server.port = server.listen(shared, port, eventLoops);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Deploys one verticle per event loop, all on one port; returns that port. */
    private int listen(TargetVerticle.Shared shared, int port, int instances) {
        // Vert.x shares one socket among the servers of a port; a negative port is its way of
        // sharing one free port
        int listenPort = port == 0 ? -1 : port;
        SplittableRandom seeds = new SplittableRandom();
        List<TargetVerticle> verticles = new CopyOnWriteArrayList<>();
        Supplier<TargetVerticle> next =
                () -> {
                    SplittableRandom random;
                    synchronized (seeds) {
                        random = seeds.split();
                    }
                    TargetVerticle verticle = new TargetVerticle(shared, random, host, listenPort);
                    verticles.add(verticle);
                    return verticle;
                };
        await(
                vertx.deployVerticle(next, new DeploymentOptions().setInstances(instances)),
                "listen on " + host + ":" + port);
        int actualPort = verticles.get(0).actualPort();
        if (verticles.stream().anyMatch(verticle -> verticle.actualPort() != actualPort)) {
            throw new IllegalStateException(
                    "the event loops of the target listen on different ports");
        }
        return actualPort;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /**
     * Its URL, such as {@code http://127.0.0.1:8080}; loopback when it listens on every address.
     */
    public String baseUrl() {
        String urlHost = host;
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            urlHost = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            urlHost = "[" + host + "]";
        }
        return "http://" + urlHost + ":" + port;
    }

    /**
     * How many requests to {@code endpoint} it has answered, or is holding, with {@code status}.
     */
    public long requestCount(String endpoint, int status) {
        return counts.count(endpoint, status);
    }

    /** How many requests to {@code endpoint} it has answered or is holding, whatever the status. */
    public long requestCount(String endpoint) {
        return counts.count(endpoint);
    }

    /** How many requests to paths of no endpoint it has answered 404. */
    public long unmatchedCount() {
        return counts.unmatched();
    }

    /** The registry of its request counters ({@code loadstream.target.requests}). */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** Stops listening and drops the requests it holds. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            await(vertx.close(), "stop the target");
        }
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage()
                    .toCompletableFuture()
                    .get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "cannot " + what + ": no answer in " + START_STOP_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
