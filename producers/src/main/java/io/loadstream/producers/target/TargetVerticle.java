package io.loadstream.producers.target;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One event loop's share of a {@link TargetServer}: answers requests as the {@link ResponsePlanner}
 * plans them, delaying answers with event-loop timers so that the loop never blocks. Several
 * instances listen on the same port and Vert.x spreads connections among them.
 */
final class TargetVerticle extends VerticleBase {

    /**
     * An endpoint as served: its name and its prepared body.
     *
     * @param name endpoint name
     * @param body the body of successful responses, shared by every response
     */
    record Served(String name, Buffer body) {}

    private static final Buffer HEALTHY = Buffer.buffer("ok\n");

    private final Map<String, Served> byPath;
    private final ResponsePlanner planner;
    private final RequestCounts counts;
    private final LongSupplier epochMillisClock;
    private final long originEpochMillis;
    private final SplittableRandom random;
    private final String host;
    private final int port;
    private volatile int actualPort;

    TargetVerticle(
            Map<String, Served> byPath,
            ResponsePlanner planner,
            RequestCounts counts,
            LongSupplier epochMillisClock,
            long originEpochMillis,
            SplittableRandom random,
            String host,
            int port) {
        this.byPath = byPath;
        this.planner = planner;
        this.counts = counts;
        this.epochMillisClock = epochMillisClock;
        this.originEpochMillis = originEpochMillis;
        this.random = random;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(port, host)
                .onSuccess(server -> actualPort = server.actualPort());
    }

    /** The port this instance listens on, once started. */
    int actualPort() {
        return actualPort;
    }

    private void handle(HttpServerRequest request) {
        Served served = byPath.get(request.path());
        if (served == null) {
            answerUnmatched(request);
            return;
        }
        long arrival = epochMillisClock.getAsLong() - originEpochMillis;
        ResponsePlan plan = planner.plan(served.name(), arrival, random);
        counts.increment(served.name(), plan.status());
        if (plan.delayNanos() <= 0) {
            answer(request, plan, served);
        } else {
            vertx.timer(plan.delayNanos(), TimeUnit.NANOSECONDS)
                    .onComplete(fired -> answer(request, plan, served));
        }
    }

    private void answer(HttpServerRequest request, ResponsePlan plan, Served served) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            return; // the client gave up, as it should during a hang
        }
        response.setStatusCode(plan.status());
        if (plan.payloadBytes() == 0) {
            response.end();
        } else {
            response.putHeader("content-type", "application/octet-stream").end(served.body());
        }
    }

    private void answerUnmatched(HttpServerRequest request) {
        if (TargetConfig.HEALTH_PATH.equals(request.path())) {
            request.response().putHeader("content-type", "text/plain").end(HEALTHY);
        } else {
            counts.countUnmatched();
            request.response().setStatusCode(404).end();
        }
    }
}
