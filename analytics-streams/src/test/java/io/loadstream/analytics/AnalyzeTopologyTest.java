package io.loadstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.analytics.deadletter.DeadLetterCounts;
import io.loadstream.analytics.deadletter.DeadLetterHeaders;
import io.loadstream.analytics.metrics.EndToEndLatency;
import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.histogram.LatencyAggregate;
import io.loadstream.schemas.registry.InMemorySchemaRegistry;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeTopologyTest {

    /** A whole second, so that window boundaries fall on round numbers. */
    private static final long T0_MS = 1_700_000_000_000L;

    private final Topics topics = new Topics("test.");
    private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistry());
    @TempDir Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<SeriesKey, RequestTiming> timings;
    private TestInputTopic<SeriesKey, IntervalHistogram> histograms;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<WindowKey, WindowStats> windowStats;
    private TestOutputTopic<RunKey, WindowStats> runSummaries;
    private final List<WindowStats> windowHistory = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analyze-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(
                AnalyzeApp.deadLetterConfig(topics.deadLetters().name(), new DeadLetterCounts()));
        AnalyzeSettings settings =
                new AnalyzeSettings(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));
        driver =
                new TopologyTestDriver(
                        AnalyzeTopology.buildTopology(
                                settings,
                                serdes,
                                topics,
                                new EndToEndLatency(),
                                Clock.fixed(Instant.ofEpochMilli(T0_MS), ZoneOffset.UTC)),
                        props,
                        Instant.ofEpochMilli(T0_MS));
        timings =
                driver.createInputTopic(
                        topics.timings().name(),
                        serdes.keySerde(topics.timings()).serializer(),
                        serdes.valueSerde(topics.timings()).serializer());
        histograms =
                driver.createInputTopic(
                        topics.histograms().name(),
                        serdes.keySerde(topics.histograms()).serializer(),
                        serdes.valueSerde(topics.histograms()).serializer());
        deadLetters =
                driver.createOutputTopic(
                        topics.deadLetters().name(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        windowStats =
                driver.createOutputTopic(
                        topics.windowStats().name(),
                        serdes.keySerde(topics.windowStats()).deserializer(),
                        serdes.valueSerde(topics.windowStats()).deserializer());
        runSummaries =
                driver.createOutputTopic(
                        topics.runSummaries().name(),
                        serdes.keySerde(topics.runSummaries()).deserializer(),
                        serdes.valueSerde(topics.runSummaries()).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldPutEventExactlyOnBoundaryIntoTheWindowStartingThere() {
        send("a", T0_MS * 1000 + 999_999, 10_000, Outcome.SUCCESS);
        send("a", (T0_MS + 1000) * 1000, 20_000, Outcome.SUCCESS);
        send("a", (T0_MS + 1000) * 1000 + 1, 30_000, Outcome.SUCCESS);
        closeWindowsBefore(T0_MS + 2000);

        Map<Long, WindowStats> finals = finalWindows("a");
        assertThat(finals.get(T0_MS).getCount()).isEqualTo(1);
        assertThat(finals.get(T0_MS).getMaxUs()).isEqualTo(histogramOf(10_000).getMaxValue());
        assertThat(finals.get(T0_MS + 1000).getCount()).isEqualTo(2);
        assertThat(finals.get(T0_MS + 1000).getWindowEndMs()).isEqualTo(T0_MS + 2000);
    }

    @Test
    void shouldKeepInterleavedEndpointsApartWithExactPercentiles() {
        long[] fast = new long[500];
        long[] slow = new long[500];
        for (int i = 0; i < 500; i++) {
            fast[i] = 1_000 + i * 7L;
            slow[i] = 50_000 + (i * 7919L) % 400_000;
            long at = T0_MS * 1000 + i * 1_000L;
            send("fast", at, fast[i], Outcome.SUCCESS);
            send("slow", at + 500, slow[i], Outcome.SUCCESS);
        }
        closeWindowsBefore(T0_MS + 1000);

        WindowStats fastStats = finalWindows("fast").get(T0_MS);
        WindowStats slowStats = finalWindows("slow").get(T0_MS);
        assertThat(fastStats.getCount()).isEqualTo(500);
        assertThat(slowStats.getCount()).isEqualTo(500);
        assertPercentilesMatch(fastStats, histogramOf(fast));
        assertPercentilesMatch(slowStats, histogramOf(slow));
        assertThat(fastStats.getThroughput()).isEqualTo(500.0);
    }

    @Test
    void shouldCountErrorsByOutcome() {
        long at = T0_MS * 1000;
        for (int i = 0; i < 5; i++) {
            send("e", at + i, 1_000, Outcome.SUCCESS);
        }
        for (int i = 0; i < 3; i++) {
            send("e", at + 10 + i, 2_000, Outcome.HTTP_ERROR);
        }
        for (int i = 0; i < 2; i++) {
            send("e", at + 20 + i, 900_000, Outcome.TIMEOUT);
        }
        closeWindowsBefore(T0_MS + 1000);

        WindowStats stats = finalWindows("e").get(T0_MS);
        assertThat(stats.getCount()).isEqualTo(10);
        assertThat(stats.getErrors()).isEqualTo(5);
        assertThat(stats.getErrorRate()).isEqualTo(0.5);
        assertThat(stats.getOutcomeCounts())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("SUCCESS", 5L, "HTTP_ERROR", 3L, "TIMEOUT", 2L));
    }

    @Test
    void shouldEmitEarlyUpdatesAndThenExactlyOneFinalPerWindow() {
        long at = T0_MS * 1000;
        send("u", at, 1_000, Outcome.SUCCESS);
        tick();
        tick();
        send("u", at + 100_000, 2_000, Outcome.SUCCESS);
        tick();
        tick();
        closeWindowsBefore(T0_MS + 1000);

        List<WindowStats> window =
                windows().stream()
                        .filter(s -> s.getEndpoint().equals("u"))
                        .filter(s -> s.getResolutionMs() == 1000 && s.getWindowStartMs() == T0_MS)
                        .toList();
        assertThat(window).extracting(WindowStats::getCount).startsWith(1L).endsWith(2L);
        assertThat(window).extracting(WindowStats::getCount).contains(2L);
        assertThat(window.subList(0, window.size() - 1))
                .extracting(WindowStats::getFinal$)
                .containsOnly(false);
        assertThat(window.get(window.size() - 1).getFinal$()).isTrue();
    }

    @Test
    void shouldCountEventTooLateForItsWindowAsLateInTheRunTotalAndDeadLetterIt() {
        long at = T0_MS * 1000;
        send("l", at, 1_000, Outcome.SUCCESS);
        send("l", at + 3_000_000, 1_000, Outcome.SUCCESS); // stream time T0+3s closes window T0
        send("l", at + 500_000, 1_000, Outcome.SUCCESS); // late: window T0 closed
        send("l", at + 2_000_000, 1_000, Outcome.SUCCESS); // window T0+2s still open
        closeWindowsBefore(T0_MS + 3000);

        WindowStats total = latestRunSummary("l");
        assertThat(total.getCount()).isEqualTo(4);
        assertThat(total.getLate()).isEqualTo(1);
        assertThat(finalWindows("l").get(T0_MS).getCount()).isEqualTo(1);
        assertThat(finalWindows("l").get(T0_MS + 2000).getCount()).isEqualTo(1);
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(reason(dead.get(0))).isEqualTo("late");
        RequestTiming deadTiming =
                serdes.valueSerde(topics.timings())
                        .deserializer()
                        .deserialize(topics.timings().name(), dead.get(0).value());
        assertThat(deadTiming.getIntendedSendTimeUs()).isEqualTo(at + 500_000);
    }

    @Test
    void shouldDeadLetterInvalidTimingAndGoOn() {
        long at = T0_MS * 1000;
        send("v", at, -5, Outcome.SUCCESS);
        send("v", at + 1, 1_000, Outcome.SUCCESS);
        closeWindowsBefore(T0_MS + 1000);

        assertThat(finalWindows("v").get(T0_MS).getCount()).isEqualTo(1);
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(reason(dead.get(0))).isEqualTo("negative-latency");
        assertThat(header(dead.get(0), DeadLetterHeaders.SOURCE_TOPIC))
                .isEqualTo(topics.timings().name());
    }

    @Test
    void shouldRefuseSendTimesFurtherAheadOfTheTopologysClockThanFiveMinutes() {
        long now = T0_MS * 1000;
        long fourMinutes = Duration.ofMinutes(4).toNanos() / 1000;
        long sixMinutes = Duration.ofMinutes(6).toNanos() / 1000;
        send("f", now + fourMinutes, 1_000, Outcome.SUCCESS);
        send("f", now + sixMinutes, 1_000, Outcome.SUCCESS);
        closeWindowsBefore(T0_MS + fourMinutes / 1000 + 1000);

        assertThat(latestRunSummary("f").getCount()).isEqualTo(1);
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(reason(dead.get(0))).isEqualTo("future-send-time");
    }

    @Test
    void shouldMergePartialsFromHistogramModeGeneratorsWithRawEventsExactly() {
        long at = T0_MS * 1000;
        long[] raw = new long[400];
        long[] published = new long[600];
        LatencyAggregate fromGenerator = LatencyAggregate.empty();
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 2_000 + (i * 7919L) % 90_000;
            send("m", at + i * 2_000L, raw[i], Outcome.SUCCESS);
        }
        for (int i = 0; i < published.length; i++) {
            published[i] = 100 + (i * 104_729L) % 300_000;
            fromGenerator.record(timing("m", "histogram-gen", at + i * 1_000L, published[i]));
        }
        histograms.pipeInput(
                new SeriesKey("run", "scenario", "m", "histogram-gen"),
                fromGenerator.toIntervalHistogram(
                        "run", "scenario", "m", "histogram-gen", at, at + 1_000_000),
                Instant.ofEpochMilli(T0_MS));
        closeWindowsBefore(T0_MS + 1000);
        // the generator has said nothing since its partial for T0: the window waits for it
        assertThat(finalWindows("m")).doesNotContainKey(T0_MS);
        driver.advanceWallClockTime(AnalyzeSettings.DEFAULT_IDLE_TIMEOUT);
        tick();

        WindowStats merged = finalWindows("m").get(T0_MS);
        assertThat(merged.getCount()).isEqualTo(1000);
        Histogram union = histogramOf(raw);
        union.add(histogramOf(published));
        assertPercentilesMatch(merged, union);
    }

    @Test
    void shouldRollSecondWindowsUpIntoTenSecondAndMinuteWindows() {
        long[] values = new long[2500];
        for (int i = 0; i < values.length; i++) {
            values[i] = 300 + (i * 15_485_863L) % 700_000;
            send("roll", T0_MS * 1000 + i * 10_000L, values[i], Outcome.SUCCESS); // 25 s
        }
        closeWindowsBefore(T0_MS + 60_000);

        List<WindowStats> finals =
                windows().stream()
                        .filter(s -> s.getEndpoint().equals("roll") && s.getFinal$())
                        .toList();
        long[] firstTen = java.util.Arrays.copyOfRange(values, 0, 1000);
        WindowStats ten =
                finals.stream()
                        .filter(s -> s.getResolutionMs() == 10_000)
                        .filter(s -> s.getWindowStartMs() == T0_MS)
                        .findFirst()
                        .orElseThrow();
        assertThat(ten.getCount()).isEqualTo(1000);
        assertPercentilesMatch(ten, histogramOf(firstTen));
        long secondsInFirstTen =
                finals.stream()
                        .filter(s -> s.getResolutionMs() == 1000)
                        .filter(s -> s.getWindowStartMs() < T0_MS + 10_000)
                        .mapToLong(WindowStats::getCount)
                        .sum();
        assertThat(secondsInFirstTen).isEqualTo(1000);
        WindowStats minute =
                finals.stream()
                        .filter(s -> s.getResolutionMs() == 60_000)
                        .findFirst()
                        .orElseThrow();
        assertThat(minute.getWindowStartMs()).isEqualTo(T0_MS - T0_MS % 60_000);
        assertThat(minute.getCount()).isEqualTo(2500);
        assertPercentilesMatch(minute, histogramOf(values));
    }

    @Test
    void shouldSummariseWholeRunAsMergeOfItsWindows() {
        long[] values = new long[3000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 500 + (i * 104_729L) % 250_000;
            send(
                    "r",
                    T0_MS * 1000 + i * 1_000L,
                    values[i],
                    i % 10 == 0 ? Outcome.HTTP_ERROR : Outcome.SUCCESS);
        }
        tick();
        tick();

        WindowStats total = latestRunSummary("r");
        assertThat(total.getResolutionMs()).isZero();
        assertThat(total.getCount()).isEqualTo(3000);
        assertThat(total.getErrors()).isEqualTo(300);
        assertThat(total.getThroughput())
                .isCloseTo(1000.0, org.assertj.core.data.Offset.offset(0.01));
        assertPercentilesMatch(total, histogramOf(values));
    }

    @Test
    void shouldJudgeLatenessByEachGeneratorsOwnClockWhenOneRunsFiveSecondsAhead() {
        // both generators send 10 requests a second at the same moments; "ahead" stamps its
        // intended send times with a clock 5 s fast, and both share the one partition of timings
        long aheadUs = 5_000_000;
        Map<Long, Long> expected = new java.util.TreeMap<>();
        for (int second = 0; second < 10; second++) {
            for (int i = 0; i < 10; i++) {
                long at = (T0_MS + second * 1000L + i * 100L) * 1000;
                sendFrom("on-time", "skew", at);
                sendFrom("ahead", "skew", at + aheadUs);
                expected.merge(T0_MS + second * 1000L, 1L, Long::sum);
                expected.merge(T0_MS + second * 1000L + aheadUs / 1000, 1L, Long::sum);
            }
            tick();
        }
        driver.advanceWallClockTime(AnalyzeSettings.DEFAULT_IDLE_TIMEOUT);
        tick();

        assertThat(deadLetters.readRecordsToList()).isEmpty();
        WindowStats total = latestRunSummary("skew");
        assertThat(total.getCount()).isEqualTo(200);
        assertThat(total.getLate()).isZero();
        Map<Long, Long> counts = new java.util.TreeMap<>();
        finalWindows("skew").forEach((start, stats) -> counts.put(start, stats.getCount()));
        assertThat(counts).isEqualTo(expected);
    }

    @Test
    void shouldNotLetAnEndpointHoldingTheKeySeparatorMoveCountsToAnotherEndpoint() {
        long at = T0_MS * 1000;
        send("a", at, 1_000, Outcome.SUCCESS);
        // encoded naively, "a" NUL "gen" reads back as endpoint "a" of generator "gen"
        send("a\0gen", at + 1, 1_000, Outcome.SUCCESS);
        closeWindowsBefore(T0_MS + 1000);

        assertThat(finalWindows("a").get(T0_MS).getCount()).isEqualTo(1);
        assertThat(latestRunSummary("a").getCount()).isEqualTo(1);
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(reason(dead.get(0))).isEqualTo("invalid-id");
        assertThat(header(dead.get(0), DeadLetterHeaders.DETAIL)).startsWith("endpoint ");
    }

    @Test
    void shouldKeepWarmupEventsOutOfWindowsAndRunSummaryAndCountThemApart() {
        long at = T0_MS * 1000;
        // two seconds of slow warm-up requests, then two seconds of fast ones
        for (int i = 0; i < 400; i++) {
            sendWarmup("w", at + i * 5_000L, 500_000);
        }
        tick();
        tick();
        WindowStats duringWarmup = latestRunSummary("w");
        assertThat(duringWarmup.getCount()).isZero();
        assertThat(duringWarmup.getWarmup()).isEqualTo(400);
        for (int i = 0; i < 1000; i++) {
            send("w", at + 2_000_000L + i * 2_000L, 1_000, Outcome.SUCCESS);
        }
        closeWindowsBefore(T0_MS + 4000);

        Map<Long, WindowStats> finals = finalWindows("w");
        assertThat(finals).doesNotContainKeys(T0_MS, T0_MS + 1000);
        assertThat(finals.get(T0_MS + 2000).getCount()).isEqualTo(500);
        assertThat(finals.get(T0_MS + 3000).getCount()).isEqualTo(500);
        assertThat(
                        windows().stream()
                                .filter(s -> s.getEndpoint().equals("w"))
                                .filter(s -> s.getResolutionMs() == 1000))
                .allSatisfy(
                        s -> assertThat(s.getWindowStartMs()).isGreaterThanOrEqualTo(T0_MS + 2000));
        // the 10 s rollup, still open, holds the run proper only
        assertThat(
                        windows().stream()
                                .filter(s -> s.getEndpoint().equals("w"))
                                .filter(s -> s.getResolutionMs() == 10_000)
                                .reduce((a, b) -> b))
                .hasValueSatisfying(ten -> assertThat(ten.getCount()).isEqualTo(1000));
        WindowStats total = latestRunSummary("w");
        assertThat(total.getCount()).isEqualTo(1000);
        assertThat(total.getWarmup()).isEqualTo(400);
        assertThat(total.getMaxUs()).isLessThan(2_000);
        assertThat(total.getWindowStartMs()).isEqualTo(T0_MS + 2000);
        assertThat(deadLetters.readRecordsToList()).isEmpty();
    }

    @Test
    void shouldCountWarmupPartialsOfHistogramModeGeneratorsApartFromWindowsAndTotal() {
        long at = T0_MS * 1000;
        LatencyAggregate warmup = LatencyAggregate.empty();
        for (int i = 0; i < 300; i++) {
            warmup.record(timing("h", "histogram-gen", at + i * 1_000L, 900_000));
        }
        IntervalHistogram partial =
                warmup.toIntervalHistogram(
                        "run", "scenario", "h", "histogram-gen", at, at + 1_000_000);
        partial.setWarmup(true);
        histograms.pipeInput(
                new SeriesKey("run", "scenario", "h", "histogram-gen"),
                partial,
                Instant.ofEpochMilli(T0_MS));
        for (int i = 0; i < 100; i++) {
            send("h", at + 1_000_000L + i * 10_000L, 1_000, Outcome.SUCCESS);
        }
        closeWindowsBefore(T0_MS + 2000);
        driver.advanceWallClockTime(AnalyzeSettings.DEFAULT_IDLE_TIMEOUT);
        tick();

        assertThat(finalWindows("h")).doesNotContainKey(T0_MS);
        assertThat(finalWindows("h").get(T0_MS + 1000).getCount()).isEqualTo(100);
        WindowStats total = latestRunSummary("h");
        assertThat(total.getCount()).isEqualTo(100);
        assertThat(total.getWarmup()).isEqualTo(300);
        assertThat(total.getMaxUs()).isLessThan(2_000);
    }

    private void sendWarmup(String endpoint, long intendedUs, long latencyUs) {
        RequestTiming timing = timing(endpoint, "gen", intendedUs, latencyUs);
        timing.setWarmup(true);
        timings.pipeInput(
                new SeriesKey("run", "scenario", endpoint, "gen"),
                timing,
                Instant.ofEpochMilli(intendedUs / 1000));
    }

    private void sendFrom(String generator, String endpoint, long intendedUs) {
        timings.pipeInput(
                new SeriesKey("run", "scenario", endpoint, generator),
                timing(endpoint, generator, intendedUs, 1_000),
                Instant.ofEpochMilli(intendedUs / 1000));
    }

    private void send(String endpoint, long intendedUs, long latencyUs, Outcome outcome) {
        RequestTiming timing = timing(endpoint, "gen", intendedUs, latencyUs);
        timing.setOutcome(outcome);
        timings.pipeInput(
                new SeriesKey("run", "scenario", endpoint, "gen"),
                timing,
                Instant.ofEpochMilli(intendedUs / 1000));
    }

    private static RequestTiming timing(
            String endpoint, String generator, long intendedUs, long latencyUs) {
        return RequestTiming.newBuilder()
                .setRunId("run")
                .setScenario("scenario")
                .setEndpoint(endpoint)
                .setGeneratorId(generator)
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(latencyUs)
                .setOutcome(Outcome.SUCCESS)
                .setTags(Map.of())
                .build();
    }

    /** One emit interval of wall-clock time: stage 1 forwards, stage 2 emits what changed. */
    private void tick() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    /**
     * Advances stream time far enough, in both stages, that windows ending at or before {@code ms}
     * are final.
     */
    private void closeWindowsBefore(long ms) {
        tick();
        send("clock", (ms + 3000) * 1000, 1, Outcome.SUCCESS);
        tick();
        tick();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(
                record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String reason(TestRecord<byte[], byte[]> record) {
        return header(record, DeadLetterHeaders.REASON);
    }

    private Map<Long, WindowStats> finalWindows(String endpoint) {
        return windows().stream()
                .filter(s -> s.getEndpoint().equals(endpoint) && s.getFinal$())
                .filter(s -> s.getResolutionMs() == 1000)
                .collect(
                        java.util.stream.Collectors.toMap(
                                WindowStats::getWindowStartMs, s -> s, (a, b) -> b));
    }

    /** Every window-stats record so far, in order. */
    private List<WindowStats> windows() {
        windowHistory.addAll(windowStats.readValuesToList());
        return windowHistory;
    }

    private WindowStats latestRunSummary(String endpoint) {
        List<KeyValue<RunKey, WindowStats>> all = runSummaries.readKeyValuesToList();
        return all.stream()
                .filter(kv -> kv.key.getEndpoint().equals(endpoint))
                .reduce((a, b) -> b)
                .orElseThrow()
                .value;
    }

    private static Histogram histogramOf(long... values) {
        Histogram histogram = new Histogram(3);
        for (long value : values) {
            histogram.recordValue(value);
        }
        return histogram;
    }

    private static void assertPercentilesMatch(WindowStats stats, Histogram expected) {
        assertThat(stats.getP50Us()).isEqualTo(expected.getValueAtPercentile(50));
        assertThat(stats.getP90Us()).isEqualTo(expected.getValueAtPercentile(90));
        assertThat(stats.getP95Us()).isEqualTo(expected.getValueAtPercentile(95));
        assertThat(stats.getP99Us()).isEqualTo(expected.getValueAtPercentile(99));
        assertThat(stats.getP999Us()).isEqualTo(expected.getValueAtPercentile(99.9));
        assertThat(stats.getMaxUs()).isEqualTo(expected.getMaxValue());
        assertThat(stats.getMinUs()).isEqualTo(expected.getMinValue());
        assertThat(stats.getMeanUs()).isEqualTo(expected.getMean());
    }
}
