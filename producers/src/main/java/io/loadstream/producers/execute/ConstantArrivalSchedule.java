package io.loadstream.producers.execute;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * When each request of an open-model load should start: request {@code i} at {@code i / rate}
 * seconds from the start, whatever happened to the requests before it.
 *
 * <p>Offsets are exact to the nanosecond and do not drift: the rate is held as a fraction, so
 * request 3,000,000 at 3 requests/s starts at exactly 1,000,000 s, not at the sum of three million
 * rounded periods. Each offset is {@code i * 1e9 / rate} rounded half up to a nanosecond.
 *
 * <pre>{@code
 * ConstantArrivalSchedule schedule = new ConstantArrivalSchedule(3);
 * schedule.intendedOffsetNanos(2); // 666_666_667
 * schedule.requestsWithin(Duration.ofSeconds(10)); // 30
 * }</pre>
 */
public final class ConstantArrivalSchedule {

    /** The highest rate: one request a nanosecond. */
    public static final double MAX_RATE = 1e9;

    /** Decimal places of the rate that are kept; more would not change any offset. */
    private static final int RATE_SCALE = 9;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    // every cycleRequests requests take exactly cycleNanos nanoseconds
    private final long cycleRequests;
    private final long cycleNanos;
    private final double rate;

    /**
     * @param ratePerSecond requests per second, positive and at most {@link #MAX_RATE}; kept to 9
     *     decimal places
     */
    public ConstantArrivalSchedule(double ratePerSecond) {
        if (!(ratePerSecond > 0 && ratePerSecond <= MAX_RATE)) {
            throw new IllegalArgumentException(
                    "rate must be above 0 and at most "
                            + (long) MAX_RATE
                            + " requests/s, not "
                            + ratePerSecond);
        }
        // rate = unscaled / 10^scale, so a period is 10^scale * 1e9 / unscaled nanoseconds
        BigDecimal exact = BigDecimal.valueOf(ratePerSecond).stripTrailingZeros();
        if (exact.scale() > RATE_SCALE) {
            exact = exact.setScale(RATE_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        }
        BigInteger requests = exact.unscaledValue();
        BigInteger nanos = BigInteger.TEN.pow(Math.max(exact.scale(), 0));
        nanos = nanos.multiply(BigInteger.valueOf(NANOS_PER_SECOND));
        if (exact.scale() < 0) {
            requests = requests.multiply(BigInteger.TEN.pow(-exact.scale()));
        }
        BigInteger gcd = requests.gcd(nanos);
        this.cycleRequests = requests.divide(gcd).longValueExact();
        this.cycleNanos = nanos.divide(gcd).longValueExact();
        this.rate = ratePerSecond;
    }

    /** Requests per second. */
    public double rate() {
        return rate;
    }

    /** Nanoseconds from the start at which request {@code i} (from 0) should start. */
    public long intendedOffsetNanos(long i) {
        if (i < 0) {
            throw new IllegalArgumentException("request index must not be negative, not " + i);
        }
        long cycles = i / cycleRequests;
        long remainder = i % cycleRequests;
        return Math.addExact(
                Math.multiplyExact(cycles, cycleNanos),
                multiplyDivideRoundingHalfUp(remainder, cycleNanos, cycleRequests));
    }

    /** How many requests start within {@code duration} of the start: those with offset below it. */
    public long requestsWithin(Duration duration) {
        long limit = duration.toNanos();
        if (limit <= 0) {
            return 0;
        }
        // a close estimate, then the exact boundary: the first request at or after the limit
        long n = (long) Math.floor(limit / 1e9 * rate);
        while (n > 0 && intendedOffsetNanos(n - 1) >= limit) {
            n--;
        }
        while (intendedOffsetNanos(n) < limit) {
            n++;
        }
        return n;
    }

    /** {@code a * b / c} rounded half up, for non-negative values, without overflow. */
    private static long multiplyDivideRoundingHalfUp(long a, long b, long c) {
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0 && a * b <= Long.MAX_VALUE - c / 2) {
            return (a * b + c / 2) / c;
        }
        return BigInteger.valueOf(a)
                .multiply(BigInteger.valueOf(b))
                .add(BigInteger.valueOf(c / 2))
                .divide(BigInteger.valueOf(c))
                .longValueExact();
    }
}
