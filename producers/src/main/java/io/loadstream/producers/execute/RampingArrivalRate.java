package io.loadstream.producers.execute;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An arrival rate that ramps linearly from stage to stage (k6's {@code ramping-arrival-rate}):
 * within each stage the rate goes in a straight line from the previous stage's target (the start
 * rate for the first) to the stage's own; a stage whose target equals the rate before it is flat.
 *
 * <p>Request {@code i} is due when {@code N(t)}, the integral of the rate, reaches {@code i} (the
 * last such moment, see {@link ArrivalSchedule}). Within a stage that starts at {@code S} with rate
 * {@code a}, ends {@code D} seconds later at rate {@code b}, and has {@code N0} requests before it,
 * {@code N(S + u) = N0 + a u + (b - a) u² / 2D}, so with {@code k = i - N0} and {@code s = (b - a)
 * / D}:
 *
 * <pre>
 *     u = k / a                              when s = 0 (flat stage)
 *     u = 2k / (a + sqrt(a² + 2sk))          otherwise (the root of the quadratic, in a form
 *                                            that stays accurate when s is small or negative)
 * </pre>
 *
 * <p>Offsets are that exact real solution rounded to the nearest nanosecond, halves up. Rates are
 * taken as the decimal numbers they print as ({@code 0.1} is one tenth), and the result is exact: a
 * double-precision estimate is checked with exact decimal arithmetic whenever it lies within a hair
 * of a rounding boundary. A flat stage gives the same offsets as {@link ConstantArrivalRate}. A
 * stage at rate 0 has no requests, and a ramp up from 0 has its first request at its start.
 *
 * <pre>{@code
 * // 0 to 100 requests/s over 10 s, then 100 requests/s for 50 s
 * ArrivalSchedule schedule = new RampingArrivalRate(0, List.of(
 *         new RampingArrivalRate.Stage(Duration.ofSeconds(10), 100),
 *         new RampingArrivalRate.Stage(Duration.ofSeconds(50), 100)));
 * schedule.requests(); // 500 + 5000
 * schedule.intendedOffsetNanos(5); // 1 s: N(t) = 5 t² in the ramp
 * }</pre>
 */
public final class RampingArrivalRate implements ArrivalSchedule {

    /**
     * One stage of the ramp.
     *
     * @param duration how long the stage lasts; 0 makes an instant jump to the target
     * @param target requests per second at the end of the stage, from 0 to {@link
     *     ConstantArrivalSchedule#MAX_RATE}
     */
    public record Stage(Duration duration, double target) {
        public Stage {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException(
                        "stage duration must not be negative, not " + duration);
            }
            requireRate(target, "stage target");
        }
    }

    private final double startRate;
    private final List<Stage> stages;
    private final Duration duration;
    private final long durationNanos;
    // the stages that have requests, in order, and the first request of each
    private final RampSegment[] segments;
    private final long[] firstRequests;
    private final long requests;

    /**
     * @param startRate requests per second at the start, from 0 to {@link
     *     ConstantArrivalSchedule#MAX_RATE}
     * @param stages at least one, lasting more than 0 in all
     */
    public RampingArrivalRate(double startRate, List<Stage> stages) {
        requireRate(startRate, "start rate");
        if (stages == null || stages.isEmpty()) {
            throw new IllegalArgumentException("a ramping arrival rate needs at least one stage");
        }
        this.startRate = startRate;
        this.stages = List.copyOf(stages);
        List<RampSegment> withRequests = new ArrayList<>();
        BigDecimal before = BigDecimal.ZERO;
        BigDecimal rate = BigDecimal.valueOf(startRate);
        long startNanos = 0;
        for (Stage stage : this.stages) {
            BigDecimal target = BigDecimal.valueOf(stage.target());
            RampSegment segment =
                    new RampSegment(startNanos, stage.duration().toNanos(), rate, target, before);
            if (segment.firstRequest() < segment.endRequest()) {
                withRequests.add(segment);
            }
            before = before.add(segment.count());
            startNanos = Math.addExact(startNanos, segment.durationNanos());
            rate = target;
        }
        if (startNanos == 0) {
            throw new IllegalArgumentException("the stages must last more than 0 in all");
        }
        this.durationNanos = startNanos;
        this.duration = Duration.ofNanos(startNanos);
        this.segments = withRequests.toArray(RampSegment[]::new);
        this.firstRequests = new long[segments.length];
        for (int s = 0; s < segments.length; s++) {
            firstRequests[s] = segments[s].firstRequest();
        }
        this.requests = countRequests(before.setScale(0, RoundingMode.CEILING).longValueExact());
    }

    /** The rate at the start, requests per second. */
    public double startRate() {
        return startRate;
    }

    /** The stages, in order. */
    public List<Stage> stages() {
        return stages;
    }

    @Override
    public long intendedOffsetNanos(long i) {
        Objects.checkIndex(i, requests);
        return offset(i);
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
        long nanos = t.toNanos();
        if (nanos < 0 || nanos >= durationNanos) {
            return 0;
        }
        double rate = startRate;
        long stageStart = 0;
        for (Stage stage : stages) {
            long stageNanos = stage.duration().toNanos();
            if (nanos < stageStart + stageNanos) {
                double fraction = (double) (nanos - stageStart) / stageNanos;
                return rate + (stage.target() - rate) * fraction;
            }
            stageStart += stageNanos;
            rate = stage.target();
        }
        return rate;
    }

    @Override
    public String toString() {
        return "ramping-arrival-rate from " + startRate + "/s through " + stages;
    }

    /** The offset of request {@code i}, which must be below the ceiling of the total count. */
    private long offset(long i) {
        int s = Arrays.binarySearch(firstRequests, i);
        if (s < 0) {
            s = -s - 2;
        }
        return segments[s].offsetNanos(i);
    }

    /**
     * Requests due strictly before the end once rounded: all {@code ceilingOfTotal} of them but a
     * last one whose exact time, just short of the end, rounds up onto it.
     */
    private long countRequests(long ceilingOfTotal) {
        long n = ceilingOfTotal;
        while (n > 0 && offset(n - 1) >= durationNanos) {
            n--;
        }
        return n;
    }

    private static void requireRate(double rate, String what) {
        if (!(rate >= 0 && rate <= ConstantArrivalSchedule.MAX_RATE)) {
            throw new IllegalArgumentException(
                    what
                            + " must be from 0 to "
                            + (long) ConstantArrivalSchedule.MAX_RATE
                            + " requests/s, not "
                            + rate);
        }
    }
}
