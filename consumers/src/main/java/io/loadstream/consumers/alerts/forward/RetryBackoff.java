package io.loadstream.consumers.alerts.forward;

import java.time.Duration;

/**
 * The waits between attempts to reach a receiver that is away: growing by a factor from an initial
 * wait up to a cap, then the cap for as long as it takes, so that a receiver down for minutes is
 * asked again within the cap of its return, and one down for hours is not hammered.
 *
 * <pre>{@code
 * RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(500), 2, Duration.ofSeconds(30));
 * backoff.next(); // 0.5 s, then 1 s, 2 s, ... 16 s, 30 s, 30 s
 * backoff.reset(); // after a success
 * }</pre>
 */
public final class RetryBackoff {

    /** 0.5 s doubling up to 30 s. */
    public static RetryBackoff defaults() {
        return new RetryBackoff(Duration.ofMillis(500), 2, Duration.ofSeconds(30));
    }

    private final Duration initial;
    private final double factor;
    private final Duration cap;
    private Duration next;

    public RetryBackoff(Duration initial, double factor, Duration cap) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException(
                    "the first retry wait must be positive, not " + initial);
        }
        if (!(factor >= 1)) {
            throw new IllegalArgumentException(
                    "the backoff factor must be at least 1, not " + factor);
        }
        if (cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "the retry wait cap " + cap + " is below the first wait " + initial);
        }
        this.initial = initial;
        this.factor = factor;
        this.cap = cap;
        this.next = initial;
    }

    /** The wait before the next attempt; the one after grows. */
    public Duration next() {
        Duration wait = next;
        double grown = next.toNanos() * factor;
        next = grown >= cap.toNanos() ? cap : Duration.ofNanos((long) grown);
        return wait;
    }

    /** Starts again from the initial wait. */
    public void reset() {
        next = initial;
    }

    /** The longest wait. */
    public Duration cap() {
        return cap;
    }
}
