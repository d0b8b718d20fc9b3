package io.loadstream.producers.execute;

import java.time.Duration;
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

    /**
     * Gets ready to keep a schedule before the run's time 0: opens the connections the run will use
     * (with their TLS handshakes), so that the first requests of the schedule do not pay for them.
     * May send requests to the target; called only when the target may see unrecorded traffic.
     * Returns within about {@code timeout}, ready or not.
     *
     * @return connections open when it returns; 0 for a driver that has none (the default)
     */
    default int prepare(Duration timeout) {
        return 0;
    }

    /**
     * The driver that warm-up calls go to: one that runs the same code as this one without reaching
     * the target, and without changing what this one will answer in the run. Drivers whose calls
     * reach a target override it (HTTP: a server on loopback); a seeded simulation returns a copy
     * with a seed of its own. This driver itself by default.
     */
    default Driver warmUpDriver() {
        return this;
    }

    /** Releases connections and threads. */
    @Override
    void close();
}
