package io.loadstream.producers.execute;

import java.util.concurrent.CompletableFuture;

/**
 * Makes requests for an executor: HTTP, Kafka, or a simulation. {@link #send} must not block: it
 * starts the request and returns a future that completes (never exceptionally) when the response is
 * in, the request failed or timed out.
 */
public interface Driver extends AutoCloseable {

    /**
     * Starts a request to endpoint {@code endpointIndex} (an index into the driver's endpoints).
     */
    CompletableFuture<DriverResponse> send(int endpointIndex);

    /** Releases connections and threads. */
    @Override
    void close();
}
