package io.loadstream.producers.execute;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How many virtual users a {@link ClosedModelExecutor} runs over time: a constant number (k6's
 * {@code constant-vus}) or stages ramping linearly from one target to the next ({@code
 * ramping-vus}).
 *
 * <p>Within a stage going from {@code a} to {@code b} users over {@code D}, the target {@code u}
 * into it is {@code a ± floor(|b - a| u / D)}: it steps by one each time the straight line from
 * {@code a} to {@code b} reaches a whole number, so a ramp from 0 to 10 over 10 s has 0 users in
 * its first second and its tenth user at its end. The target is 0 outside {@code [0, duration)}.
 *
 * <pre>{@code
 * VirtualUserSchedule ramp = VirtualUserSchedule.ramping(0, List.of(
 *         new VirtualUserSchedule.Stage(Duration.ofSeconds(10), 10),
 *         new VirtualUserSchedule.Stage(Duration.ofSeconds(10), 0)));
 * ramp.targetAt(Duration.ofMillis(2_500).toNanos()); // 2
 * }</pre>
 */
public final class VirtualUserSchedule {

    /**
     * One stage.
     *
     * @param duration how long the stage lasts; 0 makes an instant jump to the target
     * @param target users at the end of the stage, 0 or more
     */
    public record Stage(Duration duration, int target) {
        public Stage {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException(
                        "stage duration must not be negative, not " + duration);
            }
            if (target < 0) {
                throw new IllegalArgumentException(
                        "stage target must not be negative, not " + target);
            }
        }
    }

    private final int startUsers;
    private final List<Stage> stages;
    private final long durationNanos;
    private final int maxUsers;

    private VirtualUserSchedule(int startUsers, List<Stage> stages) {
        if (startUsers < 0) {
            throw new IllegalArgumentException(
                    "start users must not be negative, not " + startUsers);
        }
        if (stages == null || stages.isEmpty()) {
            throw new IllegalArgumentException("a virtual-user schedule needs at least one stage");
        }
        this.startUsers = startUsers;
        this.stages = List.copyOf(stages);
        long total = 0;
        int max = startUsers;
        for (Stage stage : this.stages) {
            total = Math.addExact(total, stage.duration().toNanos());
            max = Math.max(max, stage.target());
        }
        if (total == 0) {
            throw new IllegalArgumentException("the stages must last more than 0 in all");
        }
        this.durationNanos = total;
        this.maxUsers = max;
    }

    /** {@code users} users for {@code duration}. */
    public static VirtualUserSchedule constant(int users, Duration duration) {
        return new VirtualUserSchedule(users, List.of(new Stage(duration, users)));
    }

    /** From {@code startUsers}, through each stage's target in turn. */
    public static VirtualUserSchedule ramping(int startUsers, List<Stage> stages) {
        return new VirtualUserSchedule(startUsers, stages);
    }

    /** How long the run lasts. */
    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }

    /** The most users the schedule ever asks for. */
    public int maxUsers() {
        return maxUsers;
    }

    /** Users wanted at {@code offsetNanos} from the start. */
    public int targetAt(long offsetNanos) {
        if (offsetNanos < 0 || offsetNanos >= durationNanos) {
            return 0;
        }
        int from = startUsers;
        long stageStart = 0;
        for (Stage stage : stages) {
            long length = stage.duration().toNanos();
            if (offsetNanos < stageStart + length) {
                int steps = Math.abs(stage.target() - from);
                long done = floorMulDiv(steps, offsetNanos - stageStart, length);
                return from + Integer.signum(stage.target() - from) * (int) done;
            }
            stageStart += length;
            from = stage.target();
        }
        throw new AssertionError("offset " + offsetNanos + " is within the duration");
    }

    /**
     * The first offset after {@code offsetNanos} at which the target may change: the next step of
     * the current stage or the start of the next; {@code Long.MAX_VALUE} from the end on.
     */
    public long nextChangeNanos(long offsetNanos) {
        if (offsetNanos < 0) {
            return 0;
        }
        int from = startUsers;
        long stageStart = 0;
        for (Stage stage : stages) {
            long length = stage.duration().toNanos();
            long stageEnd = stageStart + length;
            if (offsetNanos < stageEnd) {
                int steps = Math.abs(stage.target() - from);
                if (steps == 0) {
                    return stageEnd;
                }
                long done = floorMulDiv(steps, offsetNanos - stageStart, length);
                // the first moment at which floor(steps * u / length) reaches done + 1
                return stageStart + ceilMulDiv(done + 1, length, steps);
            }
            stageStart = stageEnd;
            from = stage.target();
        }
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "virtual users from " + startUsers + " through " + stages;
    }

    private static long floorMulDiv(long a, long b, long c) {
        return BigInteger.valueOf(a)
                .multiply(BigInteger.valueOf(b))
                .divide(BigInteger.valueOf(c))
                .longValueExact();
    }

    private static long ceilMulDiv(long a, long b, long c) {
        BigInteger[] qr =
                BigInteger.valueOf(a)
                        .multiply(BigInteger.valueOf(b))
                        .divideAndRemainder(BigInteger.valueOf(c));
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }
}
