package io.loadstream.analytics.alerting;

import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.rules.RuleMetric;

/**
 * One final window (or final run summary) as an alert judges it: its time span, its request count
 * and the value of the rule's metric in it.
 *
 * @param startMs window start (for a run summary, the run's first request), in window time
 * @param endMs window end (for a run summary, the run's last request)
 * @param count requests in the window, compared with the rule's minimum count
 * @param value the metric's value, in the metric's unit
 */
public record JudgedWindow(long startMs, long endMs, long count, double value) {

    /** The value of {@code metric} in {@code stats}. */
    public static JudgedWindow of(WindowStats stats, RuleMetric metric) {
        return new JudgedWindow(
                stats.getWindowStartMs(),
                stats.getWindowEndMs(),
                stats.getCount(),
                metric.valueOf(stats));
    }
}
