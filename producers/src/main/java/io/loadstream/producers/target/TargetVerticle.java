package io.loadstream.producers.target;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * One event loop's share of a {@link TargetServer}: answers requests as the {@link ResponsePlanner}
 * plans them, delaying answers with an {@link AnswerTimer} so that the loop never blocks. Several
 * instances listen on the same port and Vert.x spreads connections among them; each has its own
 * random, used only on its event loop.
 */
final class TargetVerticle extends VerticleBase {

    /**
     * What the event loops of a target share, all of it immutable or thread-safe.
     *
     * @param byPath the endpoints by URL path
     * @param planner plans the answers
     * @param counts counts the requests
     * @param epochMillisClock the time of arrival of a request, in epoch milliseconds
     * @param originEpochMillis the epoch milliseconds of the fault schedule's time 0
     * @param answerTimer runs each answer after its planned delay
     */
    record Shared(
            Map<String, Served> byPath,
            ResponsePlanner planner,
            RequestCounts counts,
            LongSupplier epochMillisClock,
            long originEpochMillis,
            AnswerTimer answerTimer) {

        /** The endpoints of {@code config}, each with a body of its size made once. */
        static Map<String, Served> served(TargetConfig config) {
            Map<String, Served> byPath = new HashMap<>();
            for (TargetEndpoint endpoint : config.endpoints()) {
                byte[] body = new byte[endpoint.payloadBytes()];
                for (int i = 0; i < body.length; i++) {
                    body[i] = (byte) (i % 64 == 63 ? '\n' : 'a' + i % 26);
                }
                byPath.put(endpoint.path(), new Served(endpoint.name(), Buffer.buffer(body)));
            }
            return Map.copyOf(byPath);
        }
    }

    /**
     * An endpoint as served.
     *
     * @param name endpoint name
     * @param body the body of its successful answers, shared by all of them (Vert.x writes a slice
     *     of it, leaving it as it is)
     */
    record Served(String name, Buffer body) {}

    private static final Buffer HEALTHY = Buffer.buffer("ok\n");

    private final Shared shared;
    private final SplittableRandom random;
    private final String host;
    private final int port;
    private volatile int actualPort;

    /**
     * @param port the port to listen on; negative to share a free port with the other instances
     */
    TargetVerticle(Shared shared, SplittableRandom random, String host, int port) {
        this.shared = shared;
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
        Served served = shared.byPath().get(request.path());
        if (served == null) {
            answerUnmatched(request);
            return;
        }
        long arrival = shared.epochMillisClock().getAsLong() - shared.originEpochMillis();
        ResponsePlan plan = shared.planner().plan(served.name(), arrival, random);
        shared.counts().increment(served.name(), plan.status());
        shared.answerTimer()
                .runAfter(vertx, plan.delayNanos(), () -> answer(request, plan, served));
    }

    private static void answer(HttpServerRequest request, ResponsePlan plan, Served served) {
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
            shared.counts().countUnmatched();
            request.response().setStatusCode(404).end();
        }
    }
}
