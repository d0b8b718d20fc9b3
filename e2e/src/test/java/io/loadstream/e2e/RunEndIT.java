package io.loadstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.producers.publish.PublishMode;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.publish.Publishers;
import io.loadstream.producers.publish.RunEnd;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of two generators, one publishing raw events and one interval histograms, that end with
 * their end markers, through analyze on a real broker with the default idle timeout of a minute:
 * the run's final summary is on {@code run-summaries}, once, within the grace period plus 2 s of
 * the last request. It also measures, and prints, how long after their window's end the final 1 s
 * windows arrive, and how long after their window's start the first early updates do.
 */
@LocalPipeline
class RunEndIT {

    private static final Duration RUN = Duration.ofSeconds(3);
    private static final long EVENT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final AnalyzeSettings SETTINGS = AnalyzeSettings.defaults();

    @TempDir Path stateDir;

    @Test
    void shouldPutTheFinalSummaryOnRunSummariesWithinGracePlusTwoSecondsOfTheLastRequest(
            TestPipeline pipeline) {
        String runId = "ends-" + UUID.randomUUID();
        RunKey run = new RunKey(runId, "it", "api");
        try (InProcessAnalyze analyze = InProcessAnalyze.start(pipeline, SETTINGS, stateDir);
                CommittedRecords<RunKey, WindowStats> summaries =
                        pipeline.committed(analyze.topics().runSummaries());
                CommittedRecords<WindowKey, WindowStats> windows =
                        pipeline.committed(analyze.topics().windowStats())) {
            Topics topics = analyze.topics();
            Publisher raw = open(pipeline, topics, PublishMode.EVENTS);
            Publisher histograms = open(pipeline, topics, PublishMode.HISTOGRAMS);
            Arrivals arrivals = new Arrivals();
            long lastRequestMs = publishLive(runId, raw, histograms, windows, arrivals);
            for (Publisher publisher : List.of(raw, histograms)) {
                publisher.endWith(
                        new RunEnd(runId, "it", List.of("api"), generator(publisher, raw), 2));
            }
            assertThat(raw.finish(Duration.ofSeconds(30))).isZero();
            assertThat(histograms.finish(Duration.ofSeconds(30))).isZero();
            assertThat(raw.endAcknowledged()).isTrue();
            assertThat(histograms.endAcknowledged()).isTrue();
            long events = raw.acknowledged() + histograms.acknowledged();

            long[] finalAtMs = {0};
            await().atMost(SETTINGS.idleTimeout().dividedBy(2))
                    .pollInterval(Duration.ofMillis(10))
                    .until(
                            () -> {
                                arrivals.record(windows.poll(), runId);
                                boolean isFinal =
                                        summaries.poll().stream()
                                                .anyMatch(
                                                        r ->
                                                                r.key().equals(run)
                                                                        && r.value().getFinal$());
                                finalAtMs[0] = System.currentTimeMillis();
                                return isFinal;
                            });
            long afterLastRequestMs = finalAtMs[0] - lastRequestMs;
            arrivals.record(windows.readToEnd(Duration.ofSeconds(30)), runId);
            List<WindowStats> finals =
                    summaries.readToEnd(Duration.ofSeconds(30)).stream()
                            .filter(r -> r.key().equals(run) && r.value().getFinal$())
                            .map(ConsumerRecord::value)
                            .toList();
            System.out.printf(
                    "RunEndIT: final summary %d ms after the last request; %s%n",
                    afterLastRequestMs, arrivals);

            assertThat(finals).hasSize(1);
            assertThat(finals.get(0).getCount()).isEqualTo(events);
            assertThat(afterLastRequestMs)
                    .isLessThanOrEqualTo(SETTINGS.grace().plusSeconds(2).toMillis());
        }
    }

    private static String generator(Publisher publisher, Publisher raw) {
        return publisher == raw ? "raw-gen" : "histogram-gen";
    }

    private static Publisher open(TestPipeline pipeline, Topics topics, PublishMode mode) {
        return Publishers.open(
                pipeline.clientConfig(),
                pipeline.serdes(),
                topics,
                mode,
                100_000,
                Clock.systemUTC());
    }

    /**
     * One request every 5 ms from each generator, stamped with the wall clock, for {@link #RUN};
     * reads window-stats as it goes. Returns when the last request ended, in epoch milliseconds.
     */
    private static long publishLive(
            String runId,
            Publisher raw,
            Publisher histograms,
            CommittedRecords<WindowKey, WindowStats> windows,
            Arrivals arrivals) {
        long endNanos = System.nanoTime() + RUN.toNanos();
        long lastMs = 0;
        long nextTickNanos = System.nanoTime();
        while (System.nanoTime() < endNanos) {
            long nowUs = System.currentTimeMillis() * 1000;
            raw.publish(timing(runId, "raw-gen", nowUs));
            histograms.publish(timing(runId, "histogram-gen", nowUs));
            lastMs = nowUs / 1000 + 1;
            if (System.nanoTime() >= nextTickNanos) {
                histograms.tick();
                arrivals.record(windows.poll(), runId);
                nextTickNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
            }
            LockSupport.parkNanos(EVENT_EVERY_NANOS);
        }
        return lastMs;
    }

    private static RequestTiming timing(String runId, String generator, long intendedUs) {
        return RequestTiming.newBuilder()
                .setRunId(runId)
                .setScenario("it")
                .setEndpoint("api")
                .setGeneratorId(generator)
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(1_000)
                .setOutcome(Outcome.SUCCESS)
                .setTags(Map.of())
                .build();
    }

    /** When the test first saw each 1 s window's first early update and its final record. */
    private static final class Arrivals {
        private final Map<Long, Long> firstEarlyAfterStartMs = new HashMap<>();
        private final Map<Long, Long> finalAfterEndMs = new HashMap<>();
        private int seen;

        void record(List<ConsumerRecord<WindowKey, WindowStats>> all, String runId) {
            long nowMs = System.currentTimeMillis();
            for (ConsumerRecord<WindowKey, WindowStats> record : all.subList(seen, all.size())) {
                WindowStats stats = record.value();
                if (!stats.getRunId().equals(runId) || stats.getResolutionMs() != 1000) {
                    continue;
                }
                if (stats.getFinal$()) {
                    finalAfterEndMs.putIfAbsent(
                            stats.getWindowStartMs(), nowMs - stats.getWindowEndMs());
                } else {
                    firstEarlyAfterStartMs.putIfAbsent(
                            stats.getWindowStartMs(), nowMs - stats.getWindowStartMs());
                }
            }
            seen = all.size();
        }

        @Override
        public String toString() {
            return "final 1 s windows after their end (ms): "
                    + sorted(finalAfterEndMs)
                    + "; first early update after window start (ms): "
                    + sorted(firstEarlyAfterStartMs);
        }

        private static List<Long> sorted(Map<Long, Long> byWindow) {
            List<Long> values = new ArrayList<>(byWindow.values());
            values.sort(Long::compare);
            return values;
        }
    }
}
