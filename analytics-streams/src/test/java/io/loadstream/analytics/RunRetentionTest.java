package io.loadstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.analytics.aggregate.AggregateStore;
import io.loadstream.analytics.deadletter.DeadLetterCounts;
import io.loadstream.analytics.deadletter.DeadLetterHeaders;
import io.loadstream.analytics.metrics.EndToEndLatency;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.registry.InMemorySchemaRegistry;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many short runs through the whole topology, one a second of wall-clock time: the stores hold the
 * state of the open and retained runs only, whatever the number of runs so far.
 */
class RunRetentionTest {

    private static final long T0_MS = 1_700_000_000_000L;
    private static final int RUNS = 1_000;

    private final Topics topics = new Topics("test.");
    private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistry());
    @TempDir Path stateDir;
    private final WallClock wallClock = new WallClock();
    private TopologyTestDriver driver;
    private TestInputTopic<SeriesKey, RequestTiming> timings;
    private TestOutputTopic<RunKey, WindowStats> runSummaries;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldHoldOnlyTheRetainedRunsWhateverTheNumberOfRunsAndNothingOnceRetentionHasPassed() {
        Duration retention = Duration.ofMinutes(5);
        start(retention);
        Map<Long, Long> summaries = sendRuns(0, RUNS / 2);
        AggregateStore.Size atHalf = endpointStore().size();
        summaries.putAll(sendRuns(RUNS / 2, RUNS));
        AggregateStore.Size atEnd = endpointStore().size();
        AggregateStore.Size generatorsAtEnd = generatorStore().size();

        advance(retention.plus(AnalyzeSettings.DEFAULT_IDLE_TIMEOUT));
        AggregateStore.Size after = endpointStore().size();
        AggregateStore.Size generatorsAfter = generatorStore().size();
        System.out.printf(
                "run retention %s: stage 2 store after %d runs %s, after %d runs %s, once the"
                        + " retention passed %s; stage 1 store %s, then %s%n",
                retention, RUNS / 2, atHalf, RUNS, atEnd, after, generatorsAtEnd, generatorsAfter);

        assertThat(summaries).hasSize(RUNS);
        assertThat(summaries.values()).containsOnly(3L);
        // the runs of the last retention (and idle timeout), the same after 500 and 1,000 runs
        assertThat(atEnd.entries()).isBetween(atHalf.entries() - 5, atHalf.entries() + 5);
        assertThat(atEnd.bytes()).isLessThan(atHalf.bytes() * 11 / 10);
        assertThat(atEnd.entries()).isLessThan(RUNS);
        // nothing of a finished run is left: only the task's closing point
        assertThat(endpointStore().keys()).isEmpty();
        assertThat(after.entries()).isEqualTo(1);
        assertThat(generatorsAfter.entries()).isZero();
        // retiring a run writes nothing to run-summaries: its last summary stays the record
        assertThat(runSummaries.readKeyValuesToList()).isEmpty();
    }

    @Test
    void shouldDeadLetterAPartialOfARetiredRunInsteadOfStartingItsTotalAgain() {
        start(Duration.ofMinutes(1));
        sendRuns(0, 100);
        runSummaries.readKeyValuesToList();
        deadLetters.readRecordsToList();

        // run 0 was retired minutes ago; its generator comes back with one more event of its run
        send(0, T0_MS * 1000 + 900_000);
        advance(Duration.ofSeconds(2));

        assertThat(runSummaries.readKeyValuesToList())
                .extracting(kv -> kv.key.getRunId())
                .doesNotContain("run-0");
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(
                        new String(
                                dead.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("late");
    }

    private void start(Duration runRetention) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "retention-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(
                AnalyzeApp.deadLetterConfig(topics.deadLetters().name(), new DeadLetterCounts()));
        AnalyzeSettings settings =
                new AnalyzeSettings(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        AnalyzeSettings.DEFAULT_IDLE_TIMEOUT,
                        Duration.ofSeconds(1),
                        AnalyzeSettings.DEFAULT_ROLLUPS,
                        runRetention);
        driver =
                new TopologyTestDriver(
                        AnalyzeTopology.buildTopology(
                                settings, serdes, topics, new EndToEndLatency(), wallClock),
                        props,
                        Instant.ofEpochMilli(T0_MS));
        timings =
                driver.createInputTopic(
                        topics.timings().name(),
                        serdes.keySerde(topics.timings()).serializer(),
                        serdes.valueSerde(topics.timings()).serializer());
        runSummaries =
                driver.createOutputTopic(
                        topics.runSummaries().name(),
                        serdes.keySerde(topics.runSummaries()).deserializer(),
                        serdes.valueSerde(topics.runSummaries()).deserializer());
        deadLetters =
                driver.createOutputTopic(
                        topics.deadLetters().name(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
    }

    /**
     * Runs {@code from} to {@code to}, one a second: three requests within the second each, then a
     * second of wall-clock time. Returns the count of each run's latest summary, by run number.
     */
    private Map<Long, Long> sendRuns(int from, int to) {
        Map<Long, Long> counts = new java.util.HashMap<>();
        for (int run = from; run < to; run++) {
            long startUs = (T0_MS + run * 1000L) * 1000;
            for (int i = 0; i < 3; i++) {
                send(run, startUs + i * 300_000L);
            }
            advance(Duration.ofSeconds(1));
            collect(counts);
        }
        advance(AnalyzeSettings.DEFAULT_IDLE_TIMEOUT.plusSeconds(1));
        collect(counts);
        return counts;
    }

    private void collect(Map<Long, Long> counts) {
        for (KeyValue<RunKey, WindowStats> summary : runSummaries.readKeyValuesToList()) {
            counts.put(
                    Long.parseLong(summary.key.getRunId().substring("run-".length())),
                    summary.value.getCount());
        }
    }

    private void send(int run, long intendedUs) {
        String runId = "run-" + run;
        String generator = "gen-" + run;
        RequestTiming timing =
                RequestTiming.newBuilder()
                        .setRunId(runId)
                        .setScenario("scenario")
                        .setEndpoint("api")
                        .setGeneratorId(generator)
                        .setIntendedSendTimeUs(intendedUs)
                        .setActualSendTimeUs(intendedUs)
                        .setLatencyUs(1_000)
                        .setOutcome(Outcome.SUCCESS)
                        .setTags(Map.of())
                        .build();
        timings.pipeInput(
                new SeriesKey(runId, "scenario", "api", generator),
                timing,
                Instant.ofEpochMilli(intendedUs / 1000));
    }

    private void advance(Duration duration) {
        wallClock.nowMs += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    private AggregateStore endpointStore() {
        return (AggregateStore) driver.getStateStore(AnalyzeTopology.ENDPOINT_STORE);
    }

    private AggregateStore generatorStore() {
        return (AggregateStore) driver.getStateStore(AnalyzeTopology.GENERATOR_STORE);
    }

    /** The wall clock of the send-time check, moved with the driver's. */
    private static final class WallClock extends Clock {
        long nowMs = T0_MS;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMs);
        }
    }
}
