package io.loadstream.producers.scenario;

import io.loadstream.schemas.config.Durations;
import io.loadstream.schemas.rules.RuleMetric;
import java.time.Duration;

/**
 * Threshold values as files write them, in the unit each metric is judged in: latencies are
 * durations ({@code 250ms}, judged in microseconds), error rates fractions ({@code 1%} or {@code
 * 0.01}), throughput requests per second and counts plain numbers; the pipeline's end-to-end
 * latency ({@code e2e_latency}) is a latency too, judged in microseconds like the others; silence
 * ({@code no_data}) is a duration judged in milliseconds, as the no-data check measures it.
 *
 * <pre>{@code
 * ThresholdValues.parse(RuleMetric.P99, "250ms")          // 250000.0 (microseconds)
 * ThresholdValues.parse(RuleMetric.ERROR_RATE, "1%")      // 0.01
 * ThresholdValues.format(RuleMetric.P99, 250_000)         // "250ms"
 * }</pre>
 */
public final class ThresholdValues {

    private ThresholdValues() {}

    /**
     * The value {@code text} stands for, in {@code metric}'s unit.
     *
     * @throws IllegalArgumentException saying what is expected when {@code text} is not a value of
     *     the metric, or is negative
     */
    public static double parse(RuleMetric metric, String text) {
        String value = text == null ? "" : text.strip();
        double parsed =
                switch (unit(metric)) {
                    case MICROS -> duration(metric, value).toNanos() / 1_000.0;
                    case MILLIS -> duration(metric, value).toNanos() / 1_000_000.0;
                    case FRACTION -> fraction(value);
                    case NUMBER -> number(metric, value);
                };
        if (parsed < 0 || !Double.isFinite(parsed)) {
            throw new IllegalArgumentException("must be 0 or more, not '" + text + "'");
        }
        return parsed;
    }

    /**
     * {@code value} written as a file would write it for {@code metric}: {@code 250ms}, {@code 1%}.
     */
    public static String format(RuleMetric metric, double value) {
        return switch (unit(metric)) {
            case MICROS -> DisplayText.duration(Duration.ofNanos(Math.round(value * 1_000)));
            case MILLIS -> DisplayText.duration(Duration.ofNanos(Math.round(value * 1_000_000)));
            case FRACTION -> DisplayText.number(value * 100) + "%";
            case NUMBER -> DisplayText.number(value);
        };
    }

    private enum Unit {
        MICROS,
        MILLIS,
        FRACTION,
        NUMBER
    }

    private static Unit unit(RuleMetric metric) {
        return switch (metric.kind()) {
            case LATENCY -> Unit.MICROS;
            case FRACTION -> Unit.FRACTION;
            case SILENCE -> Unit.MILLIS;
            case PIPELINE -> metric == RuleMetric.E2E_LATENCY ? Unit.MICROS : Unit.NUMBER;
            case RATE, COUNT -> Unit.NUMBER;
        };
    }

    private static Duration duration(RuleMetric metric, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not a duration: "
                            + metric.id()
                            + " is a time, written for example 250ms, 1.5s or 2m");
        }
    }

    private static double fraction(String text) {
        double value = Fractions.parse(text);
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(
                    "must be between 0 and 1 (0% and 100%), not " + DisplayText.number(value));
        }
        return value;
    }

    private static double number(RuleMetric metric, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            String unit = metric.kind() == RuleMetric.Kind.RATE ? " (requests per second)" : "";
            throw new IllegalArgumentException(
                    "'" + text + "' is not a number: " + metric.id() + " is a number" + unit);
        }
    }
}
