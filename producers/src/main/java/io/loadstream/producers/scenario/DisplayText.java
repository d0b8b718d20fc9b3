package io.loadstream.producers.scenario;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations and numbers written the way scenario files write them: {@code 1m30s}, {@code 2000}. */
public final class DisplayText {

    private DisplayText() {}

    /**
     * A duration in the units of scenario files, largest first and without zero parts: {@code 5m},
     * {@code 1h30m}, {@code 1m44s}, {@code 250ms}; {@code 0s} for zero.
     */
    public static String duration(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder(duration.isNegative() ? "-" : "");
        Duration rest = duration.abs();
        append(text, rest.toHours(), "h");
        append(text, rest.toMinutesPart(), "m");
        append(text, rest.toSecondsPart(), "s");
        append(text, rest.toMillisPart(), "ms");
        if (text.length() == 0 || text.toString().equals("-")) {
            text.append(rest.toNanos()).append("ns");
        }
        return text.toString();
    }

    /** A number without a needless fraction: {@code 200}, {@code 0.5}. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount != 0) {
            text.append(amount).append(unit);
        }
    }
}
