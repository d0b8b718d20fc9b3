package io.loadstream.producers.execute;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One stage of a {@link RampingArrivalRate}: a rate going linearly from {@code a} to {@code b} over
 * {@code D}, and the offsets of the requests due within it.
 *
 * <p>The offset of request {@code i} is estimated in double precision and, when the estimate lies
 * within a relative 1e-13 (plus 1e-7 ns) of a half nanosecond, settled exactly: {@code n} is the
 * rounded offset if and only if {@code N(n - ½ ns) <= i < N(n + ½ ns)}, which is checked in decimal
 * arithmetic with no division. The double estimate is far more accurate than that margin, so the
 * slow path is rare for stages shorter than a few minutes and exactness never depends on it.
 */
final class RampSegment {

    private static final BigDecimal TWO_BILLION = BigDecimal.valueOf(2_000_000_000L);
    private static final double RELATIVE_MARGIN = 1e-13;
    private static final double ABSOLUTE_MARGIN = 1e-7;

    private final long startNanos;
    private final long durationNanos;
    private final BigDecimal before;
    private final BigDecimal count;
    private final long firstRequest;
    private final long endRequest;

    // for the estimate: requests before the stage split into a whole and a fraction, so that
    // the distance from them keeps full precision however many requests came before
    private final double a;
    private final double slopePerSecond;
    private final long beforeWhole;
    private final double beforeFraction;

    // for the exact check, in half nanoseconds h = 2u: 8 D 1e9 N_local(h/2) = F(h), with
    // F(h) = 4 a D h + (b - a) h² within the stage and its straight continuation at rate b after
    private final BigDecimal fourAD;
    private final BigDecimal bMinusA;
    private final BigDecimal eightDBillion;
    private final BigDecimal atEnd;
    private final BigDecimal fourDB;

    /**
     * @param startNanos offset of the stage's start
     * @param durationNanos its length, 0 or more
     * @param from rate at the start, requests per second
     * @param to rate at the end
     * @param before requests due before the stage, the integral of the rate up to its start
     */
    RampSegment(
            long startNanos,
            long durationNanos,
            BigDecimal from,
            BigDecimal to,
            BigDecimal before) {
        this.startNanos = startNanos;
        this.durationNanos = durationNanos;
        this.before = before;
        BigDecimal d = BigDecimal.valueOf(durationNanos);
        // (a + b) / 2 * D / 1e9; 2e9 = 2^10 5^9, so the quotient is a finite decimal
        this.count = from.add(to).multiply(d).divide(TWO_BILLION);
        this.firstRequest = ceiling(before);
        this.endRequest = ceiling(before.add(count));
        this.a = from.doubleValue();
        this.slopePerSecond =
                durationNanos == 0 ? 0 : (to.doubleValue() - a) / (durationNanos / 1e9);
        this.beforeWhole = before.setScale(0, RoundingMode.FLOOR).longValueExact();
        this.beforeFraction = before.subtract(BigDecimal.valueOf(beforeWhole)).doubleValue();
        this.fourAD = from.multiply(d).multiply(BigDecimal.valueOf(4));
        this.bMinusA = to.subtract(from);
        this.eightDBillion = d.multiply(BigDecimal.valueOf(8_000_000_000L));
        this.atEnd = d.multiply(d).multiply(from.add(to)).multiply(BigDecimal.valueOf(4));
        this.fourDB = d.multiply(to).multiply(BigDecimal.valueOf(4));
    }

    long durationNanos() {
        return durationNanos;
    }

    /** Requests due within the stage, the integral of its rate; not a whole number in general. */
    BigDecimal count() {
        return count;
    }

    /** The first request due within the stage. */
    long firstRequest() {
        return firstRequest;
    }

    /** One past the last request due within the stage; {@link #firstRequest()} when none is. */
    long endRequest() {
        return endRequest;
    }

    /** Offset from the start of the run of request {@code i}, one of this stage's. */
    long offsetNanos(long i) {
        double k = (i - beforeWhole) - beforeFraction;
        double root = Math.sqrt(Math.max(0, a * a + 2 * slopePerSecond * k));
        double denominator = a + root;
        double nanos = denominator > 0 ? 2 * k / denominator * 1e9 : 0;
        long n = (long) Math.floor(nanos + 0.5);
        double aboveBoundary = nanos + 0.5 - n;
        double margin = ABSOLUTE_MARGIN + RELATIVE_MARGIN * nanos;
        if (aboveBoundary < margin || aboveBoundary > 1 - margin) {
            n = exactRounding(i, n);
        }
        return startNanos + n;
    }

    /** The nearest nanosecond to the exact offset, halves up, searched from the estimate. */
    private long exactRounding(long i, long estimate) {
        BigDecimal target = BigDecimal.valueOf(i).subtract(before).multiply(eightDBillion);
        long n = Math.max(0, estimate);
        while (n > 0 && scaledCount(2 * n - 1).compareTo(target) > 0) {
            n--;
        }
        while (scaledCount(2 * n + 1).compareTo(target) <= 0) {
            n++;
        }
        return n;
    }

    /** {@code 8 D 1e9} times the requests due by {@code halfNanos / 2} ns into the stage. */
    private BigDecimal scaledCount(long halfNanos) {
        BigDecimal h = BigDecimal.valueOf(halfNanos);
        long end = 2 * durationNanos;
        if (halfNanos <= end) {
            return fourAD.multiply(h).add(bMinusA.multiply(h).multiply(h));
        }
        return atEnd.add(fourDB.multiply(BigDecimal.valueOf(halfNanos - end)));
    }

    private static long ceiling(BigDecimal value) {
        return value.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
