package io.loadstream.analytics.deadletter;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.schemas.histogram.Histograms;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Decides whether a generator's interval histogram (a partial aggregate) is fit to merge, and if
 * not, why it goes to the dead-letter topic. The first failing check wins, in this order:
 *
 * <ol>
 *   <li>an empty runId, scenario, endpoint or generatorId: {@link DeadLetterReason#MISSING_FIELD};
 *   <li>one of those ids holding a control character: {@link DeadLetterReason#INVALID_ID};
 *   <li>an interval start that is not set (not positive): {@link DeadLetterReason#MISSING_FIELD};
 *   <li>a negative count, an interval that does not end after it starts, or outcome counts that are
 *       negative or do not add up to the count: {@link DeadLetterReason#INVALID_PARTIAL};
 *   <li>an interval start more than {@code maxFuture} ahead of the wall clock: {@link
 *       DeadLetterReason#FUTURE_SEND_TIME};
 *   <li>a histogram (corrected or uncorrected) that does not decode, or holds more values than the
 *       count: {@link DeadLetterReason#INVALID_PARTIAL};
 *   <li>a histogram holding a value above {@link Histograms#HIGHEST_TRACKABLE_US}: {@link
 *       DeadLetterReason#LATENCY_OUT_OF_RANGE}.
 * </ol>
 *
 * <p>An empty outcome-count map is accepted, as it is the field's default.
 */
public final class PartialCheck {

    private static final String[] ID_FIELDS = {"runId", "scenario", "endpoint", "generatorId"};

    private final LongSupplier epochMicros;
    private final long maxFutureUs;

    /** Checks against {@code epochMicros}, the wall clock in microseconds since the epoch. */
    public PartialCheck(LongSupplier epochMicros) {
        this(epochMicros, TimingCheck.DEFAULT_MAX_FUTURE);
    }

    public PartialCheck(LongSupplier epochMicros, Duration maxFuture) {
        this.epochMicros = Objects.requireNonNull(epochMicros, "epochMicros");
        this.maxFutureUs = Violation.micros(maxFuture);
    }

    /** What is wrong with {@code partial}, or empty when it may be merged. */
    public Optional<Violation> check(IntervalHistogram partial) {
        long now = epochMicros.getAsLong();
        return checkFields(partial)
                .or(
                        () ->
                                Violation.ifFuture(
                                        "intervalStartUs",
                                        partial.getIntervalStartUs(),
                                        now,
                                        maxFutureUs))
                .or(() -> checkHistogram("histogram", partial.getHistogram(), partial.getCount()))
                .or(
                        () ->
                                checkHistogram(
                                        "uncorrectedHistogram",
                                        partial.getUncorrectedHistogram(),
                                        partial.getCount()));
    }

    private static Optional<Violation> checkFields(IntervalHistogram partial) {
        Optional<Violation> missing =
                Violation.firstEmpty(
                        ID_FIELDS,
                        partial.getRunId(),
                        partial.getScenario(),
                        partial.getEndpoint(),
                        partial.getGeneratorId());
        if (missing.isPresent()) {
            return missing;
        }
        Optional<Violation> control =
                Violation.firstWithControlCharacter(
                        ID_FIELDS,
                        partial.getRunId(),
                        partial.getScenario(),
                        partial.getEndpoint(),
                        partial.getGeneratorId());
        if (control.isPresent()) {
            return control;
        }
        long start = partial.getIntervalStartUs();
        long end = partial.getIntervalEndUs();
        if (start <= 0) {
            return Violation.of(
                    DeadLetterReason.MISSING_FIELD, "intervalStartUs is not set: " + start);
        }
        if (partial.getCount() < 0) {
            return invalid("count is " + partial.getCount());
        }
        if (end <= start) {
            return invalid("intervalEndUs is " + end + ", not after intervalStartUs " + start);
        }
        return checkOutcomeCounts(partial);
    }

    private static Optional<Violation> checkOutcomeCounts(IntervalHistogram partial) {
        if (partial.getOutcomeCounts().isEmpty()) {
            return Optional.empty();
        }
        long sum = 0;
        for (var entry : partial.getOutcomeCounts().entrySet()) {
            long value = entry.getValue();
            if (value < 0) {
                return invalid("outcomeCounts[" + entry.getKey() + "] is " + value);
            }
            sum += value;
        }
        return sum == partial.getCount()
                ? Optional.empty()
                : invalid(
                        "outcomeCounts add up to " + sum + ", not to count " + partial.getCount());
    }

    private static Optional<Violation> checkHistogram(String name, ByteBuffer bytes, long count) {
        if (bytes == null) {
            return Violation.of(DeadLetterReason.MISSING_FIELD, name + " is not set");
        }
        Histogram histogram;
        try {
            histogram = Histograms.decode(bytes);
        } catch (RuntimeException e) {
            return invalid(name + " does not decode: " + e.getMessage());
        }
        if (histogram.getTotalCount() > count) {
            return invalid(
                    name
                            + " holds "
                            + histogram.getTotalCount()
                            + " values, more than count "
                            + count);
        }
        // HdrHistogram reports a value as the top of its bucket, so compare buckets, not values
        if (histogram.getTotalCount() > 0
                && histogram.getMaxValue()
                        > histogram.highestEquivalentValue(Histograms.HIGHEST_TRACKABLE_US)) {
            return Violation.of(
                    DeadLetterReason.LATENCY_OUT_OF_RANGE,
                    name
                            + " holds a value of about "
                            + histogram.getMaxValue()
                            + ", above the highest trackable "
                            + Histograms.HIGHEST_TRACKABLE_US);
        }
        return Optional.empty();
    }

    private static Optional<Violation> invalid(String detail) {
        return Violation.of(DeadLetterReason.INVALID_PARTIAL, detail);
    }
}
