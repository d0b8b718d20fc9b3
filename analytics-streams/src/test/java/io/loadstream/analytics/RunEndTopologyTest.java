package io.loadstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.analytics.deadletter.DeadLetterCounts;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that end promptly: generators' end markers close a run's windows, rollups and summary as
 * soon as the last generator of the run has ended, without waiting for the idle timeout, and a
 * run's summary is final exactly once, however the run closed. Wall-clock time moves only where a
 * test says so, so that "at once" means without any time passing.
 */
class RunEndTopologyTest {

    private static final long T0_MS = 1_700_000_000_000L;

    private final Topics topics = new Topics("test.");
    private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistry());
    @TempDir Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<SeriesKey, RequestTiming> timings;
    private TestInputTopic<SeriesKey, IntervalHistogram> histograms;
    private TestOutputTopic<WindowKey, WindowStats> windowStats;
    private TestOutputTopic<RunKey, WindowStats> runSummaries;
    private final List<WindowStats> windows = new ArrayList<>();
    private final List<WindowStats> summaries = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "run-end-test");
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
    void shouldCloseTheRunsWindowsAndSummaryAtOnceWhenItsLastGeneratorEnds() {
        for (int i = 0; i < 20; i++) {
            send("run", "g1", T0_MS * 1000 + i * 100_000L);
            send("run", "g2", T0_MS * 1000 + i * 100_000L + 50_000);
        }
        end("run", "g1", 2);

        assertThat(finals("run", 1000)).as("one generator of two still runs").isEmpty();
        assertThat(summaries("run")).extracting(WindowStats::getFinal$).doesNotContain(true);

        end("run", "g2", 2);

        assertThat(finals("run", 1000))
                .extracting(WindowStats::getWindowStartMs, WindowStats::getCount)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(T0_MS, 20L),
                        org.assertj.core.groups.Tuple.tuple(T0_MS + 1000, 20L));
        assertThat(finals("run", 10_000)).extracting(WindowStats::getCount).containsExactly(40L);
        assertThat(finals("run", 60_000)).extracting(WindowStats::getCount).containsExactly(40L);
        assertThat(finalSummaries("run")).extracting(WindowStats::getCount).containsExactly(40L);
    }

    @Test
    void shouldEmitOneFinalSummaryWhenMoreMarkersComeThanAnnounced() {
        send("run", "g1", T0_MS * 1000);
        end("run", "g1", 1);
        end("run", "g1", 1);
        end("run", "late-joiner", 1);
        driver.advanceWallClockTime(AnalyzeSettings.DEFAULT_IDLE_TIMEOUT.multipliedBy(2));

        assertThat(finalSummaries("run")).hasSize(1);
    }

    @Test
    void shouldMarkTheSummaryOfARunClosedByTheIdleTimeoutFinalOnce() {
        // a generator that crashed sends no end marker: the idle timeout closes its run
        send("crashed", "g1", T0_MS * 1000);
        send("crashed", "g1", T0_MS * 1000 + 300_000);
        tick();
        assertThat(finalSummaries("crashed")).isEmpty();

        driver.advanceWallClockTime(AnalyzeSettings.DEFAULT_IDLE_TIMEOUT);
        tick();
        driver.advanceWallClockTime(AnalyzeSettings.DEFAULT_IDLE_TIMEOUT);
        tick();

        assertThat(finalSummaries("crashed")).extracting(WindowStats::getCount).containsExactly(2L);
        assertThat(summaries("crashed").get(summaries("crashed").size() - 1).getFinal$()).isTrue();
    }

    @Test
    void shouldNotLetAGeneratorThatEndedHoldAnotherRunsWindowsOnTheSameTask() {
        // both runs' generators share the one partition of timings, so one stage 1 task
        send("short", "a", T0_MS * 1000);
        end("short", "a", 1);
        for (int second = 0; second < 5; second++) {
            send("long", "b", (T0_MS + second * 1000L) * 1000);
            tick();
        }
        tick();

        // b is at T0+4 s: with the grace of 2 s, its windows up to T0+2 s are complete
        assertThat(finals("long", 1000))
                .extracting(WindowStats::getWindowStartMs)
                .contains(T0_MS, T0_MS + 1000);
    }

    @Test
    void shouldCloseARunOfAHistogramModeGeneratorAtItsEndMarker() {
        long at = T0_MS * 1000;
        LatencyAggregate interval = LatencyAggregate.empty();
        interval.record(timing("hist", "h1", at + 10_000));
        interval.record(timing("hist", "h1", at + 20_000));
        SeriesKey series = new SeriesKey("hist", "scenario", "e", "h1");
        histograms.pipeInput(
                series,
                interval.toIntervalHistogram("hist", "scenario", "e", "h1", at, at + 1_000_000),
                Instant.ofEpochMilli(T0_MS));
        IntervalHistogram marker =
                LatencyAggregate.empty()
                        .toIntervalHistogram(
                                "hist", "scenario", "e", "h1", at + 1_000_000, at + 2_000_000);
        marker.setRunEnd(true);
        marker.setGenerators(1);
        histograms.pipeInput(series, marker, Instant.ofEpochMilli(T0_MS + 1000));

        assertThat(finals("hist", 1000)).extracting(WindowStats::getCount).containsExactly(2L);
        assertThat(finalSummaries("hist")).extracting(WindowStats::getCount).containsExactly(2L);
    }

    @Test
    void shouldCloseAWindowOnceItsGeneratorPassedItsEndAndGraceWithoutWaitingForAnEmitInterval() {
        send("live", "g1", T0_MS * 1000);
        send("live", "g1", T0_MS * 1000 + 500_000);
        tick();
        send("live", "g1", (T0_MS + 2_500) * 1000);
        assertThat(finals("live", 1000)).as("grace not passed yet").isEmpty();

        // no wall-clock time passes: the event that passes T0+1 s plus the grace closes it
        send("live", "g1", (T0_MS + 3_000) * 1000);

        assertThat(finals("live", 1000))
                .extracting(WindowStats::getWindowStartMs, WindowStats::getCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(T0_MS, 2L));
    }

    private void send(String run, String generator, long intendedUs) {
        timings.pipeInput(
                new SeriesKey(run, "scenario", "e", generator),
                timing(run, generator, intendedUs),
                Instant.ofEpochMilli(intendedUs / 1000));
    }

    private void end(String run, String generator, int generators) {
        RequestTiming marker = timing(run, generator, T0_MS * 1000 + 2_000_000);
        marker.setLatencyUs(0);
        marker.setRunEnd(true);
        marker.setGenerators(generators);
        timings.pipeInput(
                new SeriesKey(run, "scenario", "e", generator),
                marker,
                Instant.ofEpochMilli(T0_MS + 2000));
    }

    private static RequestTiming timing(String run, String generator, long intendedUs) {
        return RequestTiming.newBuilder()
                .setRunId(run)
                .setScenario("scenario")
                .setEndpoint("e")
                .setGeneratorId(generator)
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(1_000)
                .setOutcome(Outcome.SUCCESS)
                .setTags(Map.of())
                .build();
    }

    private void tick() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    private List<WindowStats> finals(String run, long resolutionMs) {
        windows.addAll(windowStats.readValuesToList());
        return windows.stream()
                .filter(s -> s.getRunId().equals(run) && s.getFinal$())
                .filter(s -> s.getResolutionMs() == resolutionMs)
                .toList();
    }

    private List<WindowStats> summaries(String run) {
        summaries.addAll(runSummaries.readValuesToList());
        return summaries.stream().filter(s -> s.getRunId().equals(run)).toList();
    }

    private List<WindowStats> finalSummaries(String run) {
        return summaries(run).stream().filter(WindowStats::getFinal$).toList();
    }
}
