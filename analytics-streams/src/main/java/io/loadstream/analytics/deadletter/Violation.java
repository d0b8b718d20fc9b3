package io.loadstream.analytics.deadletter;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What is wrong with a record that a value check refused: the reason for the dead-letter header and
 * a detail for people that names the field and its value, for example {@code latencyUs is -5}.
 */
public record Violation(DeadLetterReason reason, String detail) {

    public Violation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    // shared by the checks of this package

    static Optional<Violation> of(DeadLetterReason reason, String detail) {
        return Optional.of(new Violation(reason, detail));
    }

    /** A missing-field violation for the first of the named values that is null or empty. */
    static Optional<Violation> firstEmpty(String[] names, CharSequence... values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || values[i].length() == 0) {
                return of(DeadLetterReason.MISSING_FIELD, names[i] + " is empty");
            }
        }
        return Optional.empty();
    }

    /**
     * An invalid-id violation for the first of the named ids that holds a control character: ids
     * name series in keys and stores, and a control character there (a NUL above all) is never part
     * of a real name, only of a corrupt or hostile record.
     */
    static Optional<Violation> firstWithControlCharacter(String[] names, CharSequence... ids) {
        for (int i = 0; i < ids.length; i++) {
            CharSequence id = ids[i];
            for (int at = 0; at < id.length(); at++) {
                if (Character.isISOControl(id.charAt(at))) {
                    return of(
                            DeadLetterReason.INVALID_ID,
                            String.format(
                                    "%s holds control character U+%04X at index %d",
                                    names[i], (int) id.charAt(at), at));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A future-send-time violation when {@code valueUs} is more than {@code maxFutureUs} after now.
     */
    static Optional<Violation> ifFuture(String name, long valueUs, long nowUs, long maxFutureUs) {
        if (valueUs - nowUs <= maxFutureUs) {
            return Optional.empty();
        }
        return of(
                DeadLetterReason.FUTURE_SEND_TIME,
                name
                        + " is "
                        + valueUs
                        + ", "
                        + (valueUs - nowUs)
                        + " us ahead of the clock (at most "
                        + maxFutureUs
                        + " us allowed)");
    }

    /** A duration in microseconds; it must not be negative. */
    static long micros(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("maxFuture must not be negative: " + duration);
        }
        return duration.toNanos() / 1_000;
    }
}
