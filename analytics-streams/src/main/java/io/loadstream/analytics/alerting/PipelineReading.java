package io.loadstream.analytics.alerting;

import io.loadstream.analytics.metrics.PipelineMetricsCollector;
import io.loadstream.avro.PipelineMetric;
import io.loadstream.schemas.rules.RuleMetric;
import java.util.Optional;

/**
 * A record of {@code pipeline-metrics} as a rule metric judges it: which {@link RuleMetric} it is,
 * what it is about (the topic of a consumer lag, {@value #ALL} otherwise), and its value in the
 * rule metric's unit.
 *
 * <ul>
 *   <li>{@code consumer-lag:<topic>} is {@code consumer_lag}, in records, about the topic;
 *   <li>{@code end-to-end-latency} (p99, milliseconds) is {@code e2e_latency}, in microseconds like
 *       every latency in rules;
 *   <li>{@code dead-letters} (so far, by this instance) is {@code dead_letters}.
 * </ul>
 *
 * @param metric the rule metric
 * @param subject the topic of a consumer lag, {@value #ALL} otherwise
 * @param value the value in the rule metric's unit
 */
record PipelineReading(RuleMetric metric, String subject, double value) {

    /** Run, scenario or endpoint of an alert on a figure that is not about one. */
    static final String ALL = "*";

    /** The reading of {@code record}; empty for a figure no rule metric judges. */
    static Optional<PipelineReading> of(PipelineMetric record) {
        String name = record.getMetric();
        if (name.startsWith(PipelineMetricsCollector.CONSUMER_LAG + ":")) {
            String topic = name.substring(PipelineMetricsCollector.CONSUMER_LAG.length() + 1);
            return Optional.of(
                    new PipelineReading(RuleMetric.CONSUMER_LAG, topic, record.getValue()));
        }
        if (name.equals(PipelineMetricsCollector.END_TO_END_LATENCY)) {
            return Optional.of(
                    new PipelineReading(RuleMetric.E2E_LATENCY, ALL, record.getValue() * 1000));
        }
        if (name.equals(PipelineMetricsCollector.DEAD_LETTERS)) {
            return Optional.of(
                    new PipelineReading(RuleMetric.DEAD_LETTERS, ALL, record.getValue()));
        }
        return Optional.empty();
    }
}
