package io.loadstream.schemas.topic;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.Baseline;
import io.loadstream.avro.BaselineKey;
import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import io.loadstream.avro.Regression;
import io.loadstream.avro.RegressionKey;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import java.util.List;

/**
 * Every topic of the pipeline, declared once with its key and value types, cleanup policy and
 * partitions. Event streams (timings, histograms, dead letters) are deleted by retention; results
 * and state are compacted, so a reader from the beginning gets the latest value of every key.
 *
 * <pre>{@code
 * Topics topics = new Topics(Topics.DEFAULT_PREFIX);
 * Serde<RequestTiming> values = serdes.valueSerde(topics.timings());
 * producer.send(new ProducerRecord<>(topics.timings().name(), key, timing));
 * }</pre>
 */
public final class Topics {

    /** Prefix of every topic name unless configured otherwise. */
    public static final String DEFAULT_PREFIX = "loadstream.";

    /** Partitions of every pipeline topic unless configured otherwise. */
    public static final int DEFAULT_PARTITIONS = 6;

    private final Topic<SeriesKey, RequestTiming> timings;
    private final Topic<SeriesKey, IntervalHistogram> histograms;
    private final Topic<WindowKey, WindowStats> windowStats;
    private final Topic<RunKey, WindowStats> runSummaries;
    private final Topic<BaselineKey, Baseline> baselines;
    private final Topic<RegressionKey, Regression> regressions;
    private final Topic<String, ThresholdRule> rules;
    private final Topic<AlertKey, Alert> alerts;
    private final Topic<PipelineMetricKey, PipelineMetric> pipelineMetrics;
    private final Topic<byte[], byte[]> deadLetters;

    /** The topics under {@code prefix}, with the default partition count. */
    public Topics(String prefix) {
        this(prefix, DEFAULT_PARTITIONS);
    }

    public Topics(String prefix, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
        }
        CleanupPolicy delete = CleanupPolicy.DELETE;
        CleanupPolicy compact = CleanupPolicy.COMPACT;
        timings =
                new Topic<>(
                        prefix + "timings",
                        SeriesKey.class,
                        RequestTiming.class,
                        delete,
                        partitions);
        histograms =
                new Topic<>(
                        prefix + "histograms",
                        SeriesKey.class,
                        IntervalHistogram.class,
                        delete,
                        partitions);
        windowStats =
                new Topic<>(
                        prefix + "window-stats",
                        WindowKey.class,
                        WindowStats.class,
                        compact,
                        partitions);
        runSummaries =
                new Topic<>(
                        prefix + "run-summaries",
                        RunKey.class,
                        WindowStats.class,
                        compact,
                        partitions);
        baselines =
                new Topic<>(
                        prefix + "baselines",
                        BaselineKey.class,
                        Baseline.class,
                        compact,
                        partitions);
        regressions =
                new Topic<>(
                        prefix + "regressions",
                        RegressionKey.class,
                        Regression.class,
                        compact,
                        partitions);
        rules =
                new Topic<>(
                        prefix + "rules", String.class, ThresholdRule.class, compact, partitions);
        alerts = new Topic<>(prefix + "alerts", AlertKey.class, Alert.class, compact, partitions);
        pipelineMetrics =
                new Topic<>(
                        prefix + "pipeline-metrics",
                        PipelineMetricKey.class,
                        PipelineMetric.class,
                        compact,
                        partitions);
        deadLetters =
                new Topic<>(
                        prefix + "dead-letters", byte[].class, byte[].class, delete, partitions);
    }

    /** The name of the compacted topic in which the embedded schema registry keeps schemas. */
    public static String registryTopic(String prefix) {
        return prefix + "_schemas";
    }

    /** The topic specs of every topic, for topic setup. */
    public List<TopicSpec> specs() {
        return all().stream().map(Topic::spec).toList();
    }

    /** Every topic, in the order of the pipeline. */
    public List<Topic<?, ?>> all() {
        return List.of(
                timings,
                histograms,
                windowStats,
                runSummaries,
                baselines,
                regressions,
                rules,
                alerts,
                pipelineMetrics,
                deadLetters);
    }

    /** One {@code RequestTiming} per request, keyed by run, scenario, endpoint and generator. */
    public Topic<SeriesKey, RequestTiming> timings() {
        return timings;
    }

    /** Interval histogram partials, from generators in histogram mode and from stage 1. */
    public Topic<SeriesKey, IntervalHistogram> histograms() {
        return histograms;
    }

    /** Per-window results, keyed by run, scenario, endpoint, resolution and window start. */
    public Topic<WindowKey, WindowStats> windowStats() {
        return windowStats;
    }

    /** The whole run so far, per run, scenario and endpoint. */
    public Topic<RunKey, WindowStats> runSummaries() {
        return runSummaries;
    }

    /** Promoted baselines, per scenario and endpoint. */
    public Topic<BaselineKey, Baseline> baselines() {
        return baselines;
    }

    /** Comparisons with baselines, per run, scenario, endpoint and metric. */
    public Topic<RegressionKey, Regression> regressions() {
        return regressions;
    }

    /** Threshold rules, keyed by rule id. */
    public Topic<String, ThresholdRule> rules() {
        return rules;
    }

    /** Current alert state, per rule, run, scenario and endpoint. */
    public Topic<AlertKey, Alert> alerts() {
        return alerts;
    }

    /** The pipeline's own throughput, lag and latency. */
    public Topic<PipelineMetricKey, PipelineMetric> pipelineMetrics() {
        return pipelineMetrics;
    }

    /** Records that could not be read or were invalid, as they were, with the reason in headers. */
    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }
}
