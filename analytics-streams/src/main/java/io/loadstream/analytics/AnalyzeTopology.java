package io.loadstream.analytics;

import io.loadstream.analytics.aggregate.AggregateStore;
import io.loadstream.analytics.aggregate.EndpointWindowsProcessor;
import io.loadstream.analytics.aggregate.GeneratorWindowsProcessor;
import io.loadstream.analytics.aggregate.PartialRekeyProcessor;
import io.loadstream.analytics.alerting.AlertJudgeProcessor;
import io.loadstream.analytics.alerting.PipelineAlertProcessor;
import io.loadstream.analytics.alerting.TrackedAlert;
import io.loadstream.analytics.deadletter.PartialCheck;
import io.loadstream.analytics.deadletter.TimingCheck;
import io.loadstream.analytics.metrics.EndToEndLatency;
import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The analytics topology, in two stages.
 *
 * <ol>
 *   <li>Stage 1 reads raw events from {@code timings} (keyed by generator and endpoint, so a hot
 *       endpoint spreads over partitions and tasks) and writes per-generator window partials to
 *       {@code histograms}, where generators in histogram mode publish theirs too.
 *   <li>Stage 2 reads {@code histograms}, re-keys the partials by run, scenario and endpoint (only
 *       these small records cross the network a second time), merges them into windows at every
 *       resolution and a run total, and writes {@code window-stats} (early updates, then one final
 *       record per window) and {@code run-summaries} (the whole run so far).
 *   <li>Stage 2 then judges each final window and final run summary against the threshold rules of
 *       {@code rules} (read as a global table, so a rule written mid-run applies from the next
 *       window) and writes each alert transition to {@code alerts} ({@link AlertJudgeProcessor}),
 *       in the same transaction as the windows that caused it.
 *   <li>Apart from the stages, the records of {@code pipeline-metrics} (consumer lag, end-to-end
 *       latency, dead letters) are judged against the rules on those metrics ({@link
 *       PipelineAlertProcessor}), their transitions written to {@code alerts} too.
 * </ol>
 *
 * <p>Invalid and late records go to {@code dead-letters} through the handlers in {@code
 * analytics.deadletter}; {@link AnalyzeApp} configures them.
 */
public final class AnalyzeTopology {

    static final String GENERATOR_STORE = "generator-windows";
    static final String ENDPOINT_STORE = "endpoint-windows";
    static final String ALERT_STORE = "alert-states";
    static final String PIPELINE_ALERT_STORE = "pipeline-alert-states";
    static final String RULES_STORE = "rules";

    /**
     * Name of the re-keying of stage 1's partials by endpoint: its internal topic, {@code
     * <application id>-partials-by-endpoint-repartition}, is what stage 2 reads, and what its dead
     * letters name as their source.
     */
    public static final String PARTIALS_BY_ENDPOINT = "partials-by-endpoint";

    private AnalyzeTopology() {}

    /** The whole topology on the system clock; {@code main} and the tests both build it here. */
    public static Topology buildTopology(
            AnalyzeSettings settings, AvroSerdes serdes, Topics topics) {
        return buildTopology(settings, serdes, topics, new EndToEndLatency(), Clock.systemUTC());
    }

    /**
     * The whole topology, recording the end-to-end latency of the windows it writes in {@code
     * endToEndLatency}.
     *
     * @param clock the wall clock against which send times in the future are refused; windows close
     *     by stream time and the punctuation schedule, never by this clock
     */
    public static Topology buildTopology(
            AnalyzeSettings settings,
            AvroSerdes serdes,
            Topics topics,
            EndToEndLatency endToEndLatency,
            Clock clock) {
        Topic<SeriesKey, RequestTiming> timings = topics.timings();
        Topic<SeriesKey, IntervalHistogram> histograms = topics.histograms();
        Topic<WindowKey, WindowStats> windowStats = topics.windowStats();
        Topic<RunKey, WindowStats> runSummaries = topics.runSummaries();
        Topic<String, ThresholdRule> rules = topics.rules();
        Topic<AlertKey, Alert> alerts = topics.alerts();
        LongSupplier epochMicros = () -> epochMicros(clock);

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(AggregateStore.builder(GENERATOR_STORE));
        builder.addStateStore(AggregateStore.builder(ENDPOINT_STORE));
        builder.addStateStore(TrackedAlert.storeBuilder(ALERT_STORE));
        builder.addStateStore(TrackedAlert.storeBuilder(PIPELINE_ALERT_STORE));
        builder.globalTable(
                rules.name(),
                Consumed.with(serdes.keySerde(rules), serdes.valueSerde(rules)).withName("rules"),
                Materialized.<String, ThresholdRule, KeyValueStore<Bytes, byte[]>>as(RULES_STORE)
                        .withKeySerde(serdes.keySerde(rules))
                        .withValueSerde(serdes.valueSerde(rules)));

        builder.stream(
                        timings.name(),
                        Consumed.with(serdes.keySerde(timings), serdes.valueSerde(timings))
                                .withName("timings"))
                .process(
                        () ->
                                new GeneratorWindowsProcessor(
                                        GENERATOR_STORE,
                                        settings.window(),
                                        settings.grace(),
                                        settings.idleTimeout(),
                                        settings.emitInterval(),
                                        new TimingCheck(
                                                epochMicros, TimingCheck.DEFAULT_MAX_FUTURE)),
                        Named.as("stage-1-generator-windows"),
                        GENERATOR_STORE)
                .to(
                        histograms.name(),
                        Produced.with(serdes.keySerde(histograms), serdes.valueSerde(histograms))
                                .withName("histograms-out"));

        KStream<RunKey, WindowStats> stats =
                builder.stream(
                                histograms.name(),
                                Consumed.with(
                                                serdes.keySerde(histograms),
                                                serdes.valueSerde(histograms))
                                        .withName("histograms-in"))
                        .process(PartialRekeyProcessor::new, Named.as("key-by-endpoint"))
                        .repartition(
                                Repartitioned.with(
                                                serdes.keySerde(runSummaries),
                                                serdes.valueSerde(histograms))
                                        .withName(PARTIALS_BY_ENDPOINT))
                        .process(
                                () ->
                                        new EndpointWindowsProcessor(
                                                ENDPOINT_STORE,
                                                settings.resolutions(),
                                                settings.idleTimeout(),
                                                settings.runRetention(),
                                                settings.emitInterval(),
                                                new PartialCheck(
                                                        epochMicros,
                                                        TimingCheck.DEFAULT_MAX_FUTURE),
                                                endToEndLatency),
                                Named.as("stage-2-endpoint-windows"),
                                ENDPOINT_STORE);

        stats.filter((run, stat) -> stat.getResolutionMs() > 0, Named.as("windows"))
                .map((run, stat) -> KeyValue.pair(windowKey(stat), stat), Named.as("key-by-window"))
                .to(
                        windowStats.name(),
                        Produced.with(serdes.keySerde(windowStats), serdes.valueSerde(windowStats))
                                .withName("window-stats"));
        stats.filter((run, stat) -> stat.getResolutionMs() == 0, Named.as("run-totals"))
                .to(
                        runSummaries.name(),
                        Produced.with(
                                        serdes.keySerde(runSummaries),
                                        serdes.valueSerde(runSummaries))
                                .withName("run-summaries"));
        Set<Long> resolutionsMs =
                settings.resolutions().stream().map(Duration::toMillis).collect(Collectors.toSet());
        stats.process(
                        () ->
                                new AlertJudgeProcessor(
                                        ALERT_STORE,
                                        RULES_STORE,
                                        resolutionsMs,
                                        settings.emitInterval(),
                                        settings.runRetention()),
                        Named.as("judge-rules"),
                        ALERT_STORE)
                .to(
                        alerts.name(),
                        Produced.with(serdes.keySerde(alerts), serdes.valueSerde(alerts))
                                .withName("alerts"));
        Topic<PipelineMetricKey, PipelineMetric> pipelineMetrics = topics.pipelineMetrics();
        builder.stream(
                        pipelineMetrics.name(),
                        Consumed.with(
                                        serdes.keySerde(pipelineMetrics),
                                        serdes.valueSerde(pipelineMetrics))
                                .withName("pipeline-metrics"))
                .process(
                        () ->
                                new PipelineAlertProcessor(
                                        PIPELINE_ALERT_STORE,
                                        RULES_STORE,
                                        resolutionsMs,
                                        settings.emitInterval()),
                        Named.as("judge-pipeline-rules"),
                        PIPELINE_ALERT_STORE)
                .to(
                        alerts.name(),
                        Produced.with(serdes.keySerde(alerts), serdes.valueSerde(alerts))
                                .withName("pipeline-alerts"));
        return builder.build();
    }

    private static long epochMicros(Clock clock) {
        Instant now = clock.instant();
        return Math.addExact(
                Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
    }

    static WindowKey windowKey(WindowStats stats) {
        return new WindowKey(
                stats.getRunId(),
                stats.getScenario(),
                stats.getEndpoint(),
                stats.getResolutionMs(),
                stats.getWindowStartMs());
    }
}
