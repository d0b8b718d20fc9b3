package io.loadstream.producers.http;

import io.loadstream.avro.Outcome;
import io.loadstream.producers.execute.DriverResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One request of an {@link HttpDriver}, from the moment it is sent to the end of the response body
 * or its failure, whichever first: its answer is set once, and whatever comes after is ignored.
 *
 * <p>The timeout is a timer of its own over the whole exchange (waiting for a pooled connection,
 * connecting, sending, and reading the response); when it fires first, the request is reset, which
 * closes an HTTP/1.1 connection (it cannot be reused mid-response) or an HTTP/2 stream.
 */
final class HttpExchange {

    private final Vertx vertx;
    private final PreparedRequest prepared;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final Consumer<HttpExchange> onDone;
    private final CompletableFuture<DriverResponse> answer = new CompletableFuture<>();
    private volatile HttpClientRequest request;
    private volatile boolean responseStarted;
    private volatile int status;
    private volatile long timerId = -1;

    /** Starts the clock of the exchange now. */
    HttpExchange(
            Vertx vertx,
            PreparedRequest prepared,
            LongSupplier nanoClock,
            Consumer<HttpExchange> onDone) {
        this.vertx = vertx;
        this.prepared = prepared;
        this.nanoClock = nanoClock;
        this.onDone = onDone;
        this.startNanos = nanoClock.getAsLong();
    }

    /** Completes (never exceptionally) with how the exchange went. */
    CompletableFuture<DriverResponse> answer() {
        return answer;
    }

    /** Sends the request through {@code client}. */
    void start(HttpClient client) {
        timerId = vertx.setTimer(prepared.timeoutMillis(), id -> timedOut());
        client.request(prepared.freshOptions())
                .onComplete(
                        acquired -> {
                            if (acquired.failed()) {
                                failed(acquired.cause());
                                return;
                            }
                            HttpClientRequest req = acquired.result();
                            request = req;
                            if (answer.isDone()) {
                                req.reset(); // timed out while waiting for a connection
                                return;
                            }
                            req.send(prepared.body())
                                    .compose(
                                            response -> {
                                                status = response.statusCode();
                                                responseStarted = true;
                                                return response.body();
                                            })
                                    .onComplete(
                                            body -> {
                                                if (body.succeeded()) {
                                                    responded(body.result().length());
                                                } else {
                                                    failed(body.cause());
                                                }
                                            });
                        });
    }

    /** Answers OTHER with {@code reason} unless already answered, as when the driver closes. */
    void abandon(String reason) {
        finish(Outcome.OTHER, status, 0, reason);
    }

    private void responded(long bytesReceived) {
        int code = status;
        Outcome outcome =
                prepared.endpoint().isExpected(code) ? Outcome.SUCCESS : Outcome.HTTP_ERROR;
        finish(outcome, code, bytesReceived, outcome == Outcome.SUCCESS ? null : "HTTP " + code);
    }

    private void failed(Throwable failure) {
        boolean started = responseStarted;
        finish(
                HttpFailures.outcome(failure, started),
                started ? status : 0,
                0,
                HttpFailures.describe(failure));
    }

    private void timedOut() {
        if (finish(
                Outcome.TIMEOUT,
                0,
                0,
                "no complete response within "
                        + prepared.endpoint().timeout().toMillis()
                        + " ms")) {
            HttpClientRequest req = request;
            if (req != null) {
                req.reset(0, new TimeoutException("request timed out"));
            }
        }
    }

    private boolean finish(Outcome outcome, int statusCode, long bytesReceived, String error) {
        long latency = nanoClock.getAsLong() - startNanos;
        long bytesSent = request != null ? prepared.bytesSent() : 0;
        boolean first =
                answer.complete(
                        new DriverResponse(
                                outcome, statusCode, latency, bytesSent, bytesReceived, error));
        if (first) {
            long timer = timerId;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            onDone.accept(this);
        }
        return first;
    }
}
