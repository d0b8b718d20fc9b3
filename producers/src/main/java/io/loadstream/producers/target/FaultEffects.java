package io.loadstream.producers.target;

/**
 * What the faults in effect at one moment do to a request to one endpoint, from {@link
 * FaultSchedule#effectsAt}.
 *
 * @param latencyFactor the endpoint's latency is multiplied by this (spikes and regressions)
 * @param failShare share of requests that error bursts fail, in [0, 1]
 * @param failStatus HTTP status of the requests that error bursts fail; 0 when none is in effect
 * @param holdUntilMillis a hang holds the request until this time since the origin; {@link
 *     #NO_HOLD} when no hang is in effect
 */
public record FaultEffects(
        double latencyFactor, double failShare, int failStatus, long holdUntilMillis) {

    /** {@link #holdUntilMillis} of a request that no hang holds. */
    public static final long NO_HOLD = Long.MIN_VALUE;

    /** The effects when no fault is in effect. */
    public static final FaultEffects NONE = new FaultEffects(1, 0, 0, NO_HOLD);

    /** Whether a hang holds the request. */
    public boolean held() {
        return holdUntilMillis != NO_HOLD;
    }
}
