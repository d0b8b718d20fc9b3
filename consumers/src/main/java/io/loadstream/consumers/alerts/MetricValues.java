package io.loadstream.consumers.alerts;

import io.loadstream.schemas.rules.RuleMetric;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A metric's value as people read it, in the unit its kind is written in: latencies (recorded in
 * microseconds, end-to-end latency too) in {@code ms}, error rates (fractions) in {@code %},
 * throughput in {@code req/s}, a run's silence in {@code s}.
 *
 * <pre>{@code
 * MetricValues.format("p99", 812_400);      // "812 ms"
 * MetricValues.format("error_rate", 0.025); // "2.5 %"
 * }</pre>
 */
public final class MetricValues {

    private MetricValues() {}

    /** {@code value} of the metric {@code metricId} with its unit; a metric not known, bare. */
    public static String format(String metricId, double value) {
        RuleMetric metric = RuleMetric.byId(metricId).orElse(null);
        if (metric == null) {
            return number(value);
        }
        return switch (metric.kind()) {
            case LATENCY -> number(value / 1_000) + " ms";
            case FRACTION -> number(value * 100) + " %";
            case RATE -> number(value) + " req/s";
            case SILENCE -> number(value / 1_000) + " s";
            // analyze judges e2e_latency in microseconds, like every latency
            case COUNT, PIPELINE ->
                    metric == RuleMetric.E2E_LATENCY
                            ? number(value / 1_000) + " ms"
                            : number(value);
        };
    }

    /** Three significant digits or more, no exponent, no trailing zeros: 812, 81.2, 0.81. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        double magnitude = Math.abs(value);
        int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
        return BigDecimal.valueOf(value)
                .setScale(decimals, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
