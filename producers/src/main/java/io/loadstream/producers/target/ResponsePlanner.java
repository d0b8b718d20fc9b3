package io.loadstream.producers.target;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Decides how the target answers each request: when, with which status and how large a body, from
 * the endpoint's profile and the faults in effect when the request arrives.
 *
 * <pre>{@code
 * ResponsePlanner planner = new ResponsePlanner(config);
 * ResponsePlan plan = planner.plan("search", millisSinceOrigin, random);
 * // answer plan.status() with plan.payloadBytes() bytes, plan.delayNanos() after arrival
 * }</pre>
 *
 * <p>The latency is drawn from the endpoint's log-normal distribution ({@link
 * io.loadstream.producers.synthetic.LatencyProfile}), multiplied by the faults' latency factor, and
 * capped at {@link #MAX_DELAY_NANOS}. A request fails with the burst status at the error bursts'
 * share, and otherwise with the endpoint's status at its error rate. A request that arrives during
 * a hang is answered as usual once the hang is over: its delay is the rest of the hang plus its
 * latency. Each plan draws one Gaussian and one uniform number, so a seeded random gives the same
 * plans.
 *
 * <p>Thread-safe, given one random per thread.
 */
public final class ResponsePlanner {

    /** Longest latency planned, so a freak draw or a huge factor cannot park a request: 1 hour. */
    public static final long MAX_DELAY_NANOS = TimeUnit.HOURS.toNanos(1);

    private static final int OK = 200;

    /** An endpoint with the parameters of its latency distribution worked out once. */
    private record Profiled(TargetEndpoint endpoint, double mu, double sigma) {}

    private final Map<String, Profiled> endpoints = new HashMap<>();
    private final FaultSchedule schedule;

    /** A planner for the endpoints and faults of {@code config}. */
    public ResponsePlanner(TargetConfig config) {
        this(config.endpoints(), new FaultSchedule(config.faults(), config.endpointNames()));
    }

    /**
     * @param endpoints the endpoints
     * @param schedule the faults, built for the same endpoints
     */
    public ResponsePlanner(List<TargetEndpoint> endpoints, FaultSchedule schedule) {
        for (TargetEndpoint endpoint : endpoints) {
            var profile = endpoint.latencyProfile();
            this.endpoints.put(
                    endpoint.name(), new Profiled(endpoint, profile.mu(), profile.sigma()));
        }
        this.schedule = schedule;
    }

    /**
     * Plans the answer to a request.
     *
     * @param endpoint the name of the endpoint requested
     * @param millisSinceOrigin when the request arrived, in the schedule's time
     * @param random the source of the draws
     * @throws IllegalArgumentException when there is no such endpoint
     */
    public ResponsePlan plan(String endpoint, long millisSinceOrigin, SplittableRandom random) {
        Profiled profiled = endpoints.get(endpoint);
        if (profiled == null) {
            throw new IllegalArgumentException("no endpoint '" + endpoint + "'");
        }
        FaultEffects effects = schedule.effectsAt(endpoint, millisSinceOrigin);
        double drawnMicros = Math.exp(profiled.mu() + profiled.sigma() * random.nextGaussian());
        double latencyNanos = drawnMicros * 1_000 * effects.latencyFactor();
        long delayNanos = Math.round(Math.min(latencyNanos, MAX_DELAY_NANOS));
        if (effects.held()) {
            delayNanos +=
                    TimeUnit.MILLISECONDS.toNanos(effects.holdUntilMillis() - millisSinceOrigin);
        }
        int status = status(profiled.endpoint(), effects, random.nextDouble());
        int payloadBytes = status == OK ? profiled.endpoint().payloadBytes() : 0;
        return new ResponsePlan(delayNanos, status, payloadBytes, effects.holdUntilMillis());
    }

    /**
     * The status for a uniform draw {@code u}: bursts take the first share, then the error rate.
     */
    private static int status(TargetEndpoint endpoint, FaultEffects effects, double u) {
        double burst = effects.failShare();
        if (u < burst) {
            return effects.failStatus();
        }
        if (u < burst + (1 - burst) * endpoint.errorRate()) {
            return endpoint.errorStatus();
        }
        return OK;
    }
}
