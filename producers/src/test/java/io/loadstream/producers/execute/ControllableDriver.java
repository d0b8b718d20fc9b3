package io.loadstream.producers.execute;

import io.loadstream.avro.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A driver whose answers the test gives: each {@link #send} is recorded with its future, which the
 * test completes when it likes (or never).
 */
final class ControllableDriver implements Driver {

    /** One request made: its endpoint and the future the test completes. */
    record Sent(int endpoint, CompletableFuture<DriverResponse> future) {}

    final List<Sent> sent = new ArrayList<>();
    boolean closed;

    static DriverResponse ok(long latencyNanos) {
        return new DriverResponse(Outcome.SUCCESS, 200, latencyNanos, 10, 20, null);
    }

    @Override
    public synchronized CompletableFuture<DriverResponse> send(int endpointIndex) {
        CompletableFuture<DriverResponse> future = new CompletableFuture<>();
        sent.add(new Sent(endpointIndex, future));
        return future;
    }

    /** Completes every request not yet answered with {@code response}. */
    synchronized void answerAll(DriverResponse response) {
        sent.forEach(s -> s.future().complete(response));
    }

    @Override
    public void close() {
        closed = true;
    }
}
