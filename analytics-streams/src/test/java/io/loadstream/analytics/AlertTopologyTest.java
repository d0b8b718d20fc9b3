package io.loadstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.loadstream.analytics.deadletter.DeadLetterCounts;
import io.loadstream.analytics.metrics.EndToEndLatency;
import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.ThresholdRule;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts through the analyze topology: rules written to {@code rules} judge the final windows and
 * final run summaries that stage 2 makes, and each transition reaches {@code alerts}. One generator
 * sends 20 requests per second of window time; with a grace of 0 its request in second {@code s+1}
 * makes the window of second {@code s} final.
 */
class AlertTopologyTest {

    private static final long T0_MS = 1_700_000_000_000L;
    private static final long FAST_US = 10_000;
    private static final long SLOW_US = 200_000;
    private static final String RUN = "run-1";

    private final Topics topics = new Topics("test.");
    private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistry());
    @TempDir Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<SeriesKey, RequestTiming> timings;
    private TestInputTopic<String, ThresholdRule> rules;
    private TestOutputTopic<AlertKey, Alert> alertsOut;
    private final List<Alert> alerts = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alert-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(
                AnalyzeApp.deadLetterConfig(topics.deadLetters().name(), new DeadLetterCounts()));
        AnalyzeSettings settings =
                new AnalyzeSettings(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1));
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
        rules =
                driver.createInputTopic(
                        topics.rules().name(),
                        serdes.keySerde(topics.rules()).serializer(),
                        serdes.valueSerde(topics.rules()).serializer());
        alertsOut =
                driver.createOutputTopic(
                        topics.alerts().name(),
                        serdes.keySerde(topics.alerts()).deserializer(),
                        serdes.valueSerde(topics.alerts()).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldFireOnTheFirstSlowWindowAndResolveOnTheFirstFastOne() {
        rules.pipeInput("p99-slow", rule("p99-slow", 100_000, 1000));

        seconds(0, 2, FAST_US);
        seconds(2, 5, SLOW_US);
        seconds(5, 7, FAST_US);

        assertThat(alerts())
                .extracting(
                        Alert::getState,
                        Alert::getWindowStartMs,
                        Alert::getSinceMs,
                        Alert::getActiveSinceMs,
                        Alert::getSequence,
                        Alert::getEpisodes)
                .containsExactly(
                        tuple(AlertState.FIRING, T0_MS + 2000, T0_MS + 3000, T0_MS + 2000, 1L, 1),
                        tuple(
                                AlertState.RESOLVED,
                                T0_MS + 5000,
                                T0_MS + 6000,
                                T0_MS + 2000,
                                2L,
                                1));
        Alert firing = alerts().get(0);
        assertThat(firing.getRuleId()).isEqualTo("p99-slow");
        assertThat(firing.getRunId()).isEqualTo(RUN);
        assertThat(firing.getLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(firing.getMetric()).isEqualTo("p99");
        assertThat(firing.getValue()).isGreaterThan(100_000);
        assertThat(firing.getThreshold()).isEqualTo(100_000);
        assertThat(firing.getResolutionMs()).isEqualTo(1000);
        assertThat(firing.getLabels()).containsEntry("team", "checkout");
        assertThat(firing.getAnnotations())
                .containsEntry("summary", "p99 too high")
                .containsEntry("source", "rules test.yaml:1");
        assertThat(alerts().get(1).getWorstLevel()).isEqualTo(AlertLevel.CRITICAL);
    }

    @Test
    void shouldApplyARuleChangedMidRunFromTheNextFinalWindow() {
        rules.pipeInput("p99", rule("p99", 500_000, 1000));
        seconds(0, 4, SLOW_US);
        assertThat(alerts()).as("200 ms is under 500 ms").isEmpty();

        // windows 0..2 are final; window 3 becomes final with the next request
        rules.pipeInput("p99", rule("p99", 100_000, 1000));
        seconds(4, 5, SLOW_US);

        assertThat(alerts())
                .extracting(Alert::getState, Alert::getWindowStartMs, Alert::getThreshold)
                .containsExactly(tuple(AlertState.FIRING, T0_MS + 3000, 100_000.0));
    }

    @Test
    void shouldJudgeARunLevelRuleOnceOnTheFinalRunSummary() {
        ThresholdRule runLevel = rule("run-p99", 100_000, 0);
        runLevel.setForMs(10_000); // a run is judged once: 'for' cannot apply
        rules.pipeInput("run-p99", runLevel);
        seconds(0, 5, SLOW_US);
        tick();
        assertThat(alerts()).as("early run summaries are not judged").isEmpty();

        end();

        assertThat(alerts())
                .extracting(
                        Alert::getState,
                        Alert::getResolutionMs,
                        Alert::getWindowStartMs,
                        Alert::getSequence)
                .containsExactly(tuple(AlertState.FIRING, 0L, T0_MS, 1L));
        tick();
        assertThat(alerts()).as("a run-level alert stays firing: the run's verdict").hasSize(1);
    }

    @Test
    void shouldResolveAFiringAlertWhenItsRuleIsDeletedAndJudgeItNoMore() {
        rules.pipeInput("p99", rule("p99", 100_000, 1000));
        seconds(0, 3, SLOW_US);
        assertThat(alerts()).extracting(Alert::getState).containsExactly(AlertState.FIRING);

        rules.pipeInput("p99", (ThresholdRule) null);
        tick();
        seconds(3, 6, SLOW_US);

        assertThat(alerts())
                .extracting(Alert::getState, Alert::getSequence)
                .containsExactly(tuple(AlertState.FIRING, 1L), tuple(AlertState.RESOLVED, 2L));
        Alert resolved = alerts().get(1);
        assertThat(resolved.getAnnotations()).containsEntry("reason", "rule deleted");
        assertThat(resolved.getLabels())
                .as("the firing alert's labels, so Alertmanager matches it")
                .containsEntry("team", "checkout");
    }

    @Test
    void shouldStopJudgingADisabledRuleAndEndItsAlert() {
        rules.pipeInput("p99", rule("p99", 100_000, 1000));
        seconds(0, 3, SLOW_US);
        ThresholdRule disabled = rule("p99", 100_000, 1000);
        disabled.setEnabled(false);
        rules.pipeInput("p99", disabled);
        tick();
        seconds(3, 6, SLOW_US);

        assertThat(alerts())
                .extracting(Alert::getState)
                .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(alerts().get(1).getAnnotations()).containsEntry("reason", "rule disabled");
    }

    @Test
    void shouldResolveAWindowAlertStillFiringWhenItsRunEnds() {
        rules.pipeInput("p99", rule("p99", 100_000, 1000));
        seconds(0, 3, SLOW_US);

        end();

        assertThat(alerts())
                .extracting(Alert::getState, Alert::getSequence)
                .containsExactly(tuple(AlertState.FIRING, 1L), tuple(AlertState.RESOLVED, 2L));
        assertThat(alerts().get(1).getAnnotations()).containsEntry("reason", "run ended");
    }

    @Test
    void shouldJudgeOnlyTheRulesWhoseScopeAndResolutionMatchAndSkipRulesThatCannotBeJudged() {
        ThresholdRule otherEndpoint = rule("other-endpoint", 100_000, 1000);
        otherEndpoint.setEndpoint("checkout-*");
        ThresholdRule unknownMetric = rule("unknown-metric", 100_000, 1000);
        unknownMetric.setMetric("p42");
        ThresholdRule tenSeconds = rule("ten-seconds", 100_000, 10_000);
        rules.pipeInput("other-endpoint", otherEndpoint);
        rules.pipeInput("unknown-metric", unknownMetric);
        rules.pipeInput("ten-seconds", tenSeconds);
        rules.pipeInput("p99", rule("p99", 100_000, 1000));

        seconds(0, 11, SLOW_US);

        assertThat(alerts())
                .extracting(Alert::getRuleId, Alert::getResolutionMs, Alert::getWindowStartMs)
                .containsExactlyInAnyOrder(
                        tuple("p99", 1000L, T0_MS), tuple("ten-seconds", 10_000L, T0_MS));
    }

    @Test
    void shouldRaiseNoDataWhenARunStopsReportingAndResolveWhenItReportsAgain() {
        ThresholdRule silence = rule("silence", 5_000, 1000);
        silence.setMetric("no_data");
        rules.pipeInput("silence", silence);
        seconds(0, 3, FAST_US);
        ticks(5);
        assertThat(alerts()).as("silent for less than 5 s").isEmpty();

        ticks(5);

        assertThat(alerts())
                .extracting(Alert::getState, Alert::getMetric, Alert::getSequence)
                .containsExactly(tuple(AlertState.FIRING, "no_data", 1L));
        assertThat(alerts().get(0).getValue()).isGreaterThan(5_000);

        seconds(3, 5, FAST_US);
        ticks(2);

        assertThat(alerts())
                .extracting(Alert::getState)
                .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void shouldNotRaiseNoDataForARunThatEnded() {
        ThresholdRule silence = rule("silence", 5_000, 1000);
        silence.setMetric("no_data");
        rules.pipeInput("silence", silence);
        seconds(0, 3, FAST_US);
        end();

        ticks(20);

        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldSkipAnUnreadableRuleAndGoOnJudgingTheOthers() {
        TestInputTopic<byte[], byte[]> rawRules =
                driver.createInputTopic(
                        topics.rules().name(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
        rawRules.pipeInput("junk".getBytes(), new byte[] {0, 0, 0, 0, 42, 1, 2});
        rules.pipeInput("p99", rule("p99", 100_000, 1000));

        seconds(0, 3, SLOW_US);

        assertThat(alerts()).extracting(Alert::getRuleId).containsExactly("p99");
    }

    @Test
    void shouldJudgeConsumerLagAndEndToEndLatencyFromPipelineMetrics() {
        ThresholdRule lag = rule("lag", 1_000, 1000);
        lag.setRun(null);
        lag.setMetric("consumer_lag");
        lag.setEndpoint("*timings");
        ThresholdRule latency = rule("latency", 2_000_000, 1000); // 2 s, in microseconds
        latency.setRun(null);
        latency.setMetric("e2e_latency");
        rules.pipeInput("lag", lag);
        rules.pipeInput("latency", latency);
        TestInputTopic<PipelineMetricKey, PipelineMetric> metrics =
                driver.createInputTopic(
                        topics.pipelineMetrics().name(),
                        serdes.keySerde(topics.pipelineMetrics()).serializer(),
                        serdes.valueSerde(topics.pipelineMetrics()).serializer());

        metrics.pipeInput(pipelineMetric("consumer-lag:test.timings", 5_000, T0_MS));
        metrics.pipeInput(pipelineMetric("consumer-lag:test.histograms", 5_000, T0_MS));
        metrics.pipeInput(pipelineMetric("end-to-end-latency", 3_000, T0_MS)); // ms
        metrics.pipeInput(pipelineMetric("consumer-lag:test.timings", 10, T0_MS + 5000));

        assertThat(alerts())
                .extracting(
                        Alert::getRuleId,
                        Alert::getRunId,
                        Alert::getScenario,
                        Alert::getEndpoint,
                        Alert::getState)
                .containsExactly(
                        tuple("lag", "*", "analyze/host-1", "test.timings", AlertState.FIRING),
                        tuple("latency", "*", "analyze/host-1", "*", AlertState.FIRING),
                        tuple("lag", "*", "analyze/host-1", "test.timings", AlertState.RESOLVED));
        assertThat(alerts().get(1).getValue()).isEqualTo(3_000_000.0);
    }

    private static PipelineMetric pipelineMetric(String name, double value, long atMs) {
        return PipelineMetric.newBuilder()
                .setComponent("analyze")
                .setInstance("host-1")
                .setMetric(name)
                .setValue(value)
                .setUnit("")
                .setTimestampMs(atMs)
                .build();
    }

    /** Requests of seconds {@code from} (inclusive) to {@code to} (exclusive) of window time. */
    private void seconds(int from, int to, long latencyUs) {
        for (int second = from; second < to; second++) {
            for (int i = 0; i < 20; i++) {
                long intendedUs = (T0_MS + second * 1000L) * 1000 + i * 50_000L;
                RequestTiming timing = timing(intendedUs, latencyUs);
                timings.pipeInput(
                        new SeriesKey(RUN, "scenario", "api", "g1"),
                        timing,
                        Instant.ofEpochMilli(intendedUs / 1000));
            }
        }
    }

    /** The generator's end marker: the run is over. */
    private void end() {
        RequestTiming marker = timing((T0_MS + 60_000) * 1000, 0);
        marker.setRunEnd(true);
        marker.setGenerators(1);
        timings.pipeInput(
                new SeriesKey(RUN, "scenario", "api", "g1"),
                marker,
                Instant.ofEpochMilli(T0_MS + 60_000));
    }

    private static RequestTiming timing(long intendedUs, long latencyUs) {
        return RequestTiming.newBuilder()
                .setRunId(RUN)
                .setScenario("scenario")
                .setEndpoint("api")
                .setGeneratorId("g1")
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(latencyUs)
                .setOutcome(Outcome.SUCCESS)
                .setTags(Map.of())
                .build();
    }

    private static ThresholdRule rule(String id, double critical, long resolutionMs) {
        return ThresholdRule.newBuilder()
                .setRuleId(id)
                .setRun("run-*")
                .setScenario(null)
                .setEndpoint(null)
                .setMetric("p99")
                .setComparator(Comparator.ABOVE)
                .setCritical(critical)
                .setResolutionMs(resolutionMs)
                .setLabels(Map.of("team", "checkout"))
                .setAnnotations(Map.of("summary", "p99 too high"))
                .setSource("rules test.yaml:1")
                .build();
    }

    private void tick() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    private void ticks(int seconds) {
        for (int i = 0; i < seconds; i++) {
            tick();
        }
    }

    private List<Alert> alerts() {
        alerts.addAll(alertsOut.readValuesToList());
        return alerts;
    }
}
