package io.loadstream.analytics.metrics;

import io.loadstream.avro.PipelineMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Computes one round of the analyze application's own metrics, as the records of {@code
 * pipeline-metrics}:
 *
 * <ul>
 *   <li>{@value #RECORDS_PROCESSED_RATE}: records processed per second since the previous round,
 *       from the stream threads' {@code process-total}: records of every source topic, so a record
 *       that goes through a repartition topic counts once per sub-topology;
 *   <li>{@value #CONSUMER_LAG}{@code :<topic>}: records of each input topic not yet committed;
 *   <li>{@value #END_TO_END_LATENCY}: p99 in ms from intended send time to the {@code window-stats}
 *       record, other percentiles in the attributes; none when nothing was recorded;
 *   <li>{@value #DEAD_LETTERS}: dead letters so far, the count of each reason in the attributes.
 * </ul>
 *
 * <pre>{@code
 * PipelineMetricsCollector collector = new PipelineMetricsCollector(
 *         "host-1", streams::metrics, lag::byTopic, latency, deadLetters, System::currentTimeMillis);
 * List<PipelineMetric> round = collector.collect(); // every few seconds
 * }</pre>
 */
public final class PipelineMetricsCollector {

    /** The component name of every metric: the analyze application. */
    public static final String COMPONENT = "analyze";

    public static final String RECORDS_PROCESSED_RATE = "records-processed-rate";
    public static final String CONSUMER_LAG = "consumer-lag";
    public static final String END_TO_END_LATENCY = "end-to-end-latency";
    public static final String DEAD_LETTERS = "dead-letters";

    // thread-level process-total sums the records each iteration processed, despite its
    // description ("calls to process"): StreamThread records TaskManager.process's count
    private static final String THREAD_METRICS_GROUP = "stream-thread-metrics";
    private static final String PROCESS_TOTAL = "process-total";

    private final String instance;
    private final Supplier<? extends Map<MetricName, ? extends Metric>> streamsMetrics;
    private final Supplier<Map<String, Long>> consumerLagByTopic;
    private final EndToEndLatency endToEndLatency;
    private final Supplier<Map<String, Long>> deadLettersByReason;
    private final LongSupplier clockMs;
    private long lastProcessed;
    private long lastMs;

    /**
     * @param instance this instance of the application, part of every metric's key
     * @param streamsMetrics the Streams client's metrics, {@code streams::metrics}
     * @param consumerLagByTopic the lag of every input topic, {@link ConsumerGroupLag#byTopic}
     * @param deadLettersByReason dead letters so far per reason; the metric is their sum
     * @param clockMs wall-clock milliseconds
     */
    public PipelineMetricsCollector(
            String instance,
            Supplier<? extends Map<MetricName, ? extends Metric>> streamsMetrics,
            Supplier<Map<String, Long>> consumerLagByTopic,
            EndToEndLatency endToEndLatency,
            Supplier<Map<String, Long>> deadLettersByReason,
            LongSupplier clockMs) {
        this.instance = instance;
        this.streamsMetrics = streamsMetrics;
        this.consumerLagByTopic = consumerLagByTopic;
        this.endToEndLatency = endToEndLatency;
        this.deadLettersByReason = deadLettersByReason;
        this.clockMs = clockMs;
        this.lastProcessed = processedTotal();
        this.lastMs = clockMs.getAsLong();
    }

    /** The metric name of an input topic's lag, so that each topic has a key of its own. */
    public static String consumerLagMetric(String topic) {
        return CONSUMER_LAG + ":" + topic;
    }

    /**
     * Computes one round. The rate covers the time since the previous round (or construction); the
     * latency covers the values recorded since the previous round. Lag is read first, so that a
     * round that fails on an unreachable cluster takes nothing away from the next one.
     *
     * @throws RuntimeException when the lag cannot be read
     */
    public synchronized List<PipelineMetric> collect() {
        Map<String, Long> lag = consumerLagByTopic.get();
        long now = clockMs.getAsLong();
        List<PipelineMetric> metrics = new ArrayList<>();
        metrics.add(processedRate(now));
        lag.forEach(
                (topic, records) ->
                        metrics.add(
                                metric(
                                        consumerLagMetric(topic),
                                        records,
                                        "records",
                                        now,
                                        Map.of("topic", topic))));
        Histogram latency = endToEndLatency.takeInterval();
        if (latency.getTotalCount() > 0) {
            metrics.add(latency(latency, now));
        }
        metrics.add(deadLetters(now));
        return metrics;
    }

    private PipelineMetric processedRate(long now) {
        long processed = processedTotal();
        long elapsedMs = now - lastMs;
        // a replaced stream thread starts its count again: no negative rate
        long delta = Math.max(0, processed - lastProcessed);
        double rate = elapsedMs > 0 ? delta * 1000.0 / elapsedMs : 0;
        lastProcessed = processed;
        lastMs = now;
        return metric(
                RECORDS_PROCESSED_RATE,
                rate,
                "records/s",
                now,
                Map.of("records", Long.toString(delta), "interval-ms", Long.toString(elapsedMs)));
    }

    private long processedTotal() {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : streamsMetrics.get().entrySet()) {
            MetricName name = metric.getKey();
            if (THREAD_METRICS_GROUP.equals(name.group()) && PROCESS_TOTAL.equals(name.name())) {
                if (metric.getValue().metricValue() instanceof Number value) {
                    total += value.doubleValue();
                }
            }
        }
        return (long) total;
    }

    private PipelineMetric latency(Histogram latency, long now) {
        Map<String, String> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", Long.toString(latency.getValueAtPercentile(50)));
        percentiles.put("p90", Long.toString(latency.getValueAtPercentile(90)));
        percentiles.put("p99", Long.toString(latency.getValueAtPercentile(99)));
        percentiles.put("p999", Long.toString(latency.getValueAtPercentile(99.9)));
        percentiles.put("max", Long.toString(latency.getMaxValue()));
        percentiles.put("count", Long.toString(latency.getTotalCount()));
        return metric(END_TO_END_LATENCY, latency.getValueAtPercentile(99), "ms", now, percentiles);
    }

    private PipelineMetric deadLetters(long now) {
        Map<String, Long> byReason = deadLettersByReason.get();
        Map<String, String> attributes = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> reason : byReason.entrySet()) {
            attributes.put(reason.getKey(), Long.toString(reason.getValue()));
            total += reason.getValue();
        }
        return metric(DEAD_LETTERS, total, "records", now, attributes);
    }

    private PipelineMetric metric(
            String metric, double value, String unit, long now, Map<String, String> attributes) {
        return PipelineMetric.newBuilder()
                .setComponent(COMPONENT)
                .setInstance(instance)
                .setMetric(metric)
                .setValue(value)
                .setUnit(unit)
                .setTimestampMs(now)
                .setAttributes(new LinkedHashMap<>(attributes))
                .build();
    }
}
