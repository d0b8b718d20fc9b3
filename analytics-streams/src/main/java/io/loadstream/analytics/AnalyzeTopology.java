package io.loadstream.analytics;

import io.loadstream.analytics.aggregate.AggregateStore;
import io.loadstream.analytics.aggregate.WindowAggregationProcessor;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The analytics topology: timing events in, windowed latency percentiles, error rates and
 * throughput out.
 *
 * <p>Reads {@code timings}. Writes {@code window-stats} (one record per endpoint and window,
 * updated early and then once with {@code final} set) and {@code run-summaries} (the whole run of
 * each endpoint so far). Both are compacted, so the latest value of each key is the answer.
 */
public final class AnalyzeTopology {

    static final String AGGREGATE_STORE = "latency-aggregates";

    private AnalyzeTopology() {}

    /** The whole topology; {@code main} and the tests both build it here. */
    public static Topology buildTopology(
            AnalyzeSettings settings, AvroSerdes serdes, Topics topics) {
        Topic<SeriesKey, RequestTiming> timings = topics.timings();
        Topic<WindowKey, WindowStats> windowStats = topics.windowStats();
        Topic<RunKey, WindowStats> runSummaries = topics.runSummaries();

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(AggregateStore.builder(AGGREGATE_STORE));

        KStream<RunKey, WindowStats> stats =
                builder.stream(
                                timings.name(),
                                Consumed.with(serdes.keySerde(timings), serdes.valueSerde(timings))
                                        .withName("timings"))
                        .selectKey(
                                (key, timing) ->
                                        new RunKey(
                                                timing.getRunId(),
                                                timing.getScenario(),
                                                timing.getEndpoint()),
                                Named.as("key-by-endpoint"))
                        .repartition(
                                Repartitioned.with(
                                                serdes.keySerde(runSummaries),
                                                serdes.valueSerde(timings))
                                        .withName("by-endpoint"))
                        .process(
                                () ->
                                        new WindowAggregationProcessor(
                                                AGGREGATE_STORE,
                                                settings.window(),
                                                settings.grace(),
                                                settings.emitInterval()),
                                Named.as("aggregate-windows"),
                                AGGREGATE_STORE);

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
        return builder.build();
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
