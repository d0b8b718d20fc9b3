package io.loadstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.results.RunSummaryReader;
import io.loadstream.producers.publish.TimingPublisher;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 120,000 timing events with known latencies, 3 endpoints over 20 one-second windows, through the
 * generator's publisher and the analyze application on a real broker: every final window's count is
 * exact and every percentile equals HdrHistogram's over the same values.
 */
@LocalPipeline
class AnalyzePipelineIT {

    private static final int ENDPOINTS = 3;
    private static final int WINDOWS = 20;
    private static final int PER_WINDOW = 2_000;
    private static final long TOTAL = (long) ENDPOINTS * WINDOWS * PER_WINDOW;

    /**
     * Pre-loaded events reach the aggregation through six source tasks at different speeds, so
     * event time arrives out of order by more than a live run would see: a grace period longer than
     * the whole run keeps every event in its window.
     */
    private static final Duration GRACE = Duration.ofSeconds(60);

    /** Event time of the events that close every window once all data is in. */
    private static final long CLOSE_AFTER_MS = (WINDOWS + 62) * 1000L;

    private static final AnalyzeSettings SETTINGS =
            new AnalyzeSettings(
                    AnalyzeSettings.DEFAULT_WINDOW,
                    GRACE,
                    Duration.ofSeconds(10),
                    AnalyzeSettings.DEFAULT_EMIT_INTERVAL,
                    AnalyzeSettings.DEFAULT_ROLLUPS);

    @TempDir Path stateDir;

    @Test
    void shouldComputeExactCountsAndPercentilesPerWindow(TestPipeline pipeline) throws Exception {
        String runId = "it-" + UUID.randomUUID();
        long t0Ms = (System.currentTimeMillis() / 1000 - 3600) * 1000;
        Map<String, Histogram> expected = new HashMap<>();
        Random random = new Random(7);

        try (InProcessAnalyze analyze = InProcessAnalyze.start(pipeline, SETTINGS, stateDir)) {
            Topics topics = analyze.topics();
            RunSummaryReader reader =
                    new RunSummaryReader(
                            pipeline.clientConfig(), pipeline.serdes(), topics.runSummaries());
            try (TimingPublisher publisher = publisher(pipeline, topics)) {
                for (int w = 0; w < WINDOWS; w++) {
                    for (int i = 0; i < PER_WINDOW; i++) {
                        for (int e = 0; e < ENDPOINTS; e++) {
                            String endpoint = "endpoint-" + e;
                            long intendedUs = (t0Ms + w * 1000L) * 1000 + i * 500L;
                            long scheduleDelayUs = random.nextInt(200);
                            long latencyUs =
                                    (long)
                                            Math.exp(
                                                    Math.log(2_000 * (e + 1))
                                                            + 0.9 * random.nextGaussian());
                            publisher.publish(
                                    timing(
                                            runId,
                                            endpoint,
                                            intendedUs,
                                            scheduleDelayUs,
                                            latencyUs));
                            expected.computeIfAbsent(endpoint + "@" + w, k -> new Histogram(3))
                                    .recordValue(latencyUs + scheduleDelayUs);
                        }
                    }
                }
                publisher.flush();
                assertThat(publisher.failed()).isZero();
                assertThat(publisher.acknowledged()).isEqualTo(TOTAL);
                // every event is in a window before stream time moves past the windows' grace
                assertThat(reader.awaitCounted(runId, TOTAL, Duration.ofMinutes(3)).counted())
                        .isEqualTo(TOTAL);
                for (int e = 0; e < ENDPOINTS; e++) {
                    publisher.publish(
                            timing(runId, "endpoint-" + e, (t0Ms + CLOSE_AFTER_MS) * 1000, 0, 1));
                }
                publisher.flush();
            }
            Map<WindowKey, WindowStats> finals = new HashMap<>();
            try (CommittedRecords<WindowKey, WindowStats> windowStats =
                    pipeline.committed(topics.windowStats())) {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(100))
                        .until(
                                () -> {
                                    finals.putAll(finalSeconds(windowStats.poll(), runId));
                                    return finals.size() >= ENDPOINTS * WINDOWS;
                                });
            }
            assertThat(analyze.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

            for (int e = 0; e < ENDPOINTS; e++) {
                for (int w = 0; w < WINDOWS; w++) {
                    WindowKey key =
                            new WindowKey(runId, "it", "endpoint-" + e, 1000L, t0Ms + w * 1000L);
                    WindowStats stats = finals.get(key);
                    Histogram want = expected.get("endpoint-" + e + "@" + w);
                    assertThat(stats).as(key.toString()).isNotNull();
                    assertThat(stats.getCount()).as(key.toString()).isEqualTo(PER_WINDOW);
                    assertThat(stats.getP50Us()).isEqualTo(want.getValueAtPercentile(50));
                    assertThat(stats.getP90Us()).isEqualTo(want.getValueAtPercentile(90));
                    assertThat(stats.getP95Us()).isEqualTo(want.getValueAtPercentile(95));
                    assertThat(stats.getP99Us()).isEqualTo(want.getValueAtPercentile(99));
                    assertThat(stats.getP999Us()).isEqualTo(want.getValueAtPercentile(99.9));
                    assertThat(stats.getMaxUs()).isEqualTo(want.getMaxValue());
                    assertThat(stats.getMinUs()).isEqualTo(want.getMinValue());
                }
            }
            Map<String, WindowStats> totals = reader.latest(runId, Duration.ofSeconds(30));
            assertThat(totals.values()).allSatisfy(total -> assertThat(total.getLate()).isZero());
        }
    }

    /** The final 1 s windows of {@code runId} among {@code records}. */
    private static Map<WindowKey, WindowStats> finalSeconds(
            List<ConsumerRecord<WindowKey, WindowStats>> records, String runId) {
        Map<WindowKey, WindowStats> finals = new HashMap<>();
        for (ConsumerRecord<WindowKey, WindowStats> r : records) {
            if (r.key().getRunId().equals(runId)
                    && r.key().getResolutionMs() == 1000
                    && r.value().getFinal$()) {
                finals.put(r.key(), r.value());
            }
        }
        return finals;
    }

    private static TimingPublisher publisher(TestPipeline pipeline, Topics topics) {
        return new TimingPublisher(
                pipeline.clientConfig().producer(),
                pipeline.serdes().keySerde(topics.timings()).serializer(),
                pipeline.serdes().valueSerde(topics.timings()).serializer(),
                topics.timings().name());
    }

    private static RequestTiming timing(
            String runId, String endpoint, long intendedUs, long delayUs, long latencyUs) {
        return RequestTiming.newBuilder()
                .setRunId(runId)
                .setScenario("it")
                .setEndpoint(endpoint)
                .setGeneratorId("gen-" + (intendedUs % 4))
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs + delayUs)
                .setLatencyUs(latencyUs)
                .setOutcome(Outcome.SUCCESS)
                .setStatusCode(200)
                .setTags(Map.of())
                .build();
    }
}
