package io.loadstream.analytics.deadletter;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.schemas.histogram.Histograms;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Decides whether a timing event is fit to aggregate, and if not, why it goes to the dead-letter
 * topic. The first failing check wins, in this order:
 *
 * <ol>
 *   <li>an empty runId, scenario, endpoint or generatorId: {@link DeadLetterReason#MISSING_FIELD};
 *   <li>one of those ids holding a control character (they name keys in the stores, where a NUL
 *       would read as a separator): {@link DeadLetterReason#INVALID_ID};
 *   <li>a send time that is not set (not positive): {@link DeadLetterReason#MISSING_FIELD};
 *   <li>{@code latencyUs} below zero: {@link DeadLetterReason#NEGATIVE_LATENCY};
 *   <li>{@code latencyUs} above {@link Histograms#HIGHEST_TRACKABLE_US}: {@link
 *       DeadLetterReason#LATENCY_OUT_OF_RANGE};
 *   <li>a send time more than {@code maxFuture} ahead of the wall clock: {@link
 *       DeadLetterReason#FUTURE_SEND_TIME};
 *   <li>a corrected latency (from the intended send time) above the highest trackable value: {@link
 *       DeadLetterReason#LATENCY_OUT_OF_RANGE}. DROPPED events are not checked for it, as their
 *       latency is never recorded.
 * </ol>
 *
 * <pre>{@code
 * TimingCheck check = new TimingCheck(() -> ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
 * check.check(timing).ifPresent(violation -> ...); // route to dead letters
 * }</pre>
 */
public final class TimingCheck {

    /** How far ahead of the wall clock a send time may be, for clock skew between hosts. */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);

    private static final String[] ID_FIELDS = {"runId", "scenario", "endpoint", "generatorId"};
    private static final String ABOVE_RANGE =
            ", above the highest trackable " + Histograms.HIGHEST_TRACKABLE_US;

    private final LongSupplier epochMicros;
    private final long maxFutureUs;

    /** Checks against {@code epochMicros}, the wall clock in microseconds since the epoch. */
    public TimingCheck(LongSupplier epochMicros) {
        this(epochMicros, DEFAULT_MAX_FUTURE);
    }

    public TimingCheck(LongSupplier epochMicros, Duration maxFuture) {
        this.epochMicros = Objects.requireNonNull(epochMicros, "epochMicros");
        this.maxFutureUs = Violation.micros(maxFuture);
    }

    /** What is wrong with {@code timing}, or empty when it may be aggregated. */
    public Optional<Violation> check(RequestTiming timing) {
        Optional<Violation> missing =
                Violation.firstEmpty(
                        ID_FIELDS,
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId());
        if (missing.isPresent()) {
            return missing;
        }
        Optional<Violation> control =
                Violation.firstWithControlCharacter(
                        ID_FIELDS,
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId());
        if (control.isPresent()) {
            return control;
        }
        long intended = timing.getIntendedSendTimeUs();
        long actual = timing.getActualSendTimeUs();
        long latency = timing.getLatencyUs();
        if (intended <= 0) {
            return Violation.of(
                    DeadLetterReason.MISSING_FIELD, "intendedSendTimeUs is not set: " + intended);
        }
        if (actual <= 0) {
            return Violation.of(
                    DeadLetterReason.MISSING_FIELD, "actualSendTimeUs is not set: " + actual);
        }
        if (latency < 0) {
            return Violation.of(DeadLetterReason.NEGATIVE_LATENCY, "latencyUs is " + latency);
        }
        if (latency > Histograms.HIGHEST_TRACKABLE_US) {
            return Violation.of(
                    DeadLetterReason.LATENCY_OUT_OF_RANGE, "latencyUs is " + latency + ABOVE_RANGE);
        }
        long now = epochMicros.getAsLong();
        Optional<Violation> future =
                Violation.ifFuture("intendedSendTimeUs", intended, now, maxFutureUs)
                        .or(() -> Violation.ifFuture("actualSendTimeUs", actual, now, maxFutureUs));
        if (future.isPresent()) {
            return future;
        }
        // compared without adding, so that no send time can overflow the sum
        long delay = Math.max(0, actual - intended);
        if (timing.getOutcome() != Outcome.DROPPED
                && delay > Histograms.HIGHEST_TRACKABLE_US - latency) {
            return Violation.of(
                    DeadLetterReason.LATENCY_OUT_OF_RANGE,
                    "corrected latency (actualSendTimeUs - intendedSendTimeUs + latencyUs) is "
                            + (delay + latency)
                            + ABOVE_RANGE);
        }
        return Optional.empty();
    }
}
