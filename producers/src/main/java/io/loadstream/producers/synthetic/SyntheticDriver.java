package io.loadstream.producers.synthetic;

import io.loadstream.avro.Outcome;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.DriverResponse;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * A stand-in for a system under test: answers each call at once with a response drawn from the
 * endpoint's {@link LatencyProfile}, so that the whole pipeline can run with no service to load.
 *
 * <p>Latencies follow the profile's log-normal distribution, in whole microseconds and at least 1.
 * A fraction {@code errorRate} of calls fail: three in four with HTTP 500 and the drawn latency,
 * one in four with a timeout whose latency is three times the profile's p99. The same seed gives
 * the same responses.
 *
 * <p>As a {@link Driver} it answers each {@link #send} with a future already complete, whose
 * latency is the drawn one: it takes no time on the executor's clock. Requests and responses have
 * no bytes.
 *
 * <p>Not thread-safe: give each generator thread its own driver.
 */
public final class SyntheticDriver implements Driver {

    /** Share of errors that are HTTP 500 rather than timeouts. */
    static final double HTTP_ERROR_SHARE = 0.75;

    /**
     * One synthetic response.
     *
     * @param latencyUs time from send to the end of the response, microseconds
     * @param outcome how the call ended
     * @param statusCode HTTP status, 0 for a timeout
     * @param error error text, null on success
     */
    public record Response(long latencyUs, Outcome outcome, int statusCode, String error) {}

    private final List<LatencyProfile> endpoints;
    private final double[] mu;
    private final double[] sigma;
    private final long[] timeoutLatencyUs;
    private final SplittableRandom random;
    private final long seed;

    /**
     * @param endpoints the endpoints, called by their index in this list
     * @param seed seed of the random draws
     */
    public SyntheticDriver(List<LatencyProfile> endpoints, long seed) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("a synthetic driver needs at least one endpoint");
        }
        this.endpoints = List.copyOf(endpoints);
        int n = this.endpoints.size();
        mu = new double[n];
        sigma = new double[n];
        timeoutLatencyUs = new long[n];
        for (int i = 0; i < n; i++) {
            LatencyProfile profile = this.endpoints.get(i);
            mu[i] = profile.mu();
            sigma[i] = profile.sigma();
            timeoutLatencyUs[i] = 3 * Math.max(1, profile.p99().toNanos() / 1_000);
        }
        random = new SplittableRandom(seed);
        this.seed = seed;
    }

    /** The endpoints, in the order of their indexes. */
    public List<LatencyProfile> endpoints() {
        return endpoints;
    }

    /** Makes one call to the endpoint at {@code endpointIndex}; returns at once. */
    public Response call(int endpointIndex) {
        if (endpointIndex < 0 || endpointIndex >= endpoints.size()) {
            throw new IndexOutOfBoundsException(
                    "no endpoint " + endpointIndex + " among " + endpoints.size());
        }
        // latency is drawn for every call, so that it is independent of the outcome
        double drawn = Math.exp(mu[endpointIndex] + sigma[endpointIndex] * random.nextGaussian());
        long latencyUs = Math.max(1, Math.round(drawn));
        if (random.nextDouble() >= endpoints.get(endpointIndex).errorRate()) {
            return new Response(latencyUs, Outcome.SUCCESS, 200, null);
        }
        if (random.nextDouble() < HTTP_ERROR_SHARE) {
            return new Response(latencyUs, Outcome.HTTP_ERROR, 500, "synthetic server error");
        }
        return new Response(
                timeoutLatencyUs[endpointIndex], Outcome.TIMEOUT, 0, "synthetic timeout");
    }

    /**
     * Makes one {@link #call} and answers with it at once.
     *
     * @throws IndexOutOfBoundsException for an endpoint this driver does not have
     */
    @Override
    public CompletableFuture<DriverResponse> send(int endpointIndex) {
        Response response = call(endpointIndex);
        return CompletableFuture.completedFuture(
                new DriverResponse(
                        response.outcome(),
                        response.statusCode(),
                        response.latencyUs() * 1_000,
                        0,
                        0,
                        response.error()));
    }

    /**
     * A driver of the same endpoints with a seed of its own, so that warm-up calls leave this
     * driver's draws, and so a seeded run's responses, as they were.
     */
    @Override
    public Driver warmUpDriver() {
        return new SyntheticDriver(endpoints, ~seed);
    }

    /** Nothing to release. */
    @Override
    public void close() {}
}
