package io.loadstream.producers.execute;

import java.time.Duration;
import java.util.Objects;

/**
 * A constant arrival rate for a fixed duration (k6's {@code constant-arrival-rate}): request {@code
 * i} is due at {@code i / rate} seconds, exact to the nanosecond and without drift (the arithmetic
 * of {@link ConstantArrivalSchedule}).
 *
 * <pre>{@code
 * ArrivalSchedule schedule = new ConstantArrivalRate(3, Duration.ofSeconds(10));
 * schedule.requests(); // 30
 * schedule.intendedOffsetNanos(2); // 666_666_667
 * }</pre>
 */
public final class ConstantArrivalRate implements ArrivalSchedule {

    private final ConstantArrivalSchedule schedule;
    private final Duration duration;
    private final long requests;

    /**
     * @param ratePerSecond requests per second, above 0 and at most {@link
     *     ConstantArrivalSchedule#MAX_RATE}; kept to 9 decimal places
     * @param duration how long the run lasts, positive
     */
    public ConstantArrivalRate(double ratePerSecond, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, not " + duration);
        }
        this.schedule = new ConstantArrivalSchedule(ratePerSecond);
        this.duration = duration;
        this.requests = schedule.requestsWithin(duration);
    }

    /** Requests per second. */
    public double rate() {
        return schedule.rate();
    }

    @Override
    public long intendedOffsetNanos(long i) {
        Objects.checkIndex(i, requests);
        return schedule.intendedOffsetNanos(i);
    }

    @Override
    public long requests() {
        return requests;
    }

    @Override
    public Duration duration() {
        return duration;
    }

    @Override
    public double rateAt(Duration t) {
        return t.isNegative() || t.compareTo(duration) >= 0 ? 0 : schedule.rate();
    }

    @Override
    public String toString() {
        return "constant-arrival-rate " + schedule.rate() + "/s for " + duration;
    }
}
