package io.loadstream.producers.target;

/**
 * How the target answers one request, from {@link ResponsePlanner#plan}.
 *
 * @param delayNanos time from the request's arrival to its answer: the time a hang holds it, plus
 *     its latency
 * @param status HTTP status, 200 or an error
 * @param payloadBytes size of the response body; 0 for errors
 * @param holdUntilMillis the time since the origin until which a hang holds the request; {@link
 *     FaultEffects#NO_HOLD} when it is not held
 */
public record ResponsePlan(long delayNanos, int status, int payloadBytes, long holdUntilMillis) {

    /** Whether the request fails. */
    public boolean failed() {
        return status != 200;
    }

    /** Whether a hang holds the request. */
    public boolean held() {
        return holdUntilMillis != FaultEffects.NO_HOLD;
    }
}
