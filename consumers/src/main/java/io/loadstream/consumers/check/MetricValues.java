package io.loadstream.consumers.check;

import io.loadstream.schemas.rules.RuleMetric;
import java.util.Locale;

/**
 * Writes a rule metric's value in the unit people read it in: latencies in ms (µs below one), error
 * rates in percent, throughput per second, silence in seconds.
 *
 * <pre>{@code
 * MetricValues.format("p99", 512_300)   // "512.3 ms"
 * MetricValues.format("error_rate", 0.0125)   // "1.25 %"
 * }</pre>
 */
public final class MetricValues {

    private MetricValues() {}

    /** {@code value} of the metric named {@code metricId}; the bare number for unknown metrics. */
    public static String format(String metricId, double value) {
        RuleMetric metric = RuleMetric.byId(metricId).orElse(null);
        if (metric == null) {
            return number(value);
        }
        return switch (metric.kind()) {
            case LATENCY -> value < 1000 ? number(value) + " µs" : number(value / 1000) + " ms";
            case FRACTION -> number(value * 100) + " %";
            case RATE -> number(value) + "/s";
            case SILENCE -> number(value / 1000) + " s";
            case COUNT, PIPELINE ->
                    metric == RuleMetric.E2E_LATENCY ? number(value) + " ms" : number(value);
        };
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.3g", value);
    }
}
