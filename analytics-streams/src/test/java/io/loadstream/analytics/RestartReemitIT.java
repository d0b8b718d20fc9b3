package io.loadstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.CloseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze} restarted over its state (same application id and state directory, exactly once):
 * a run that finished before the restart keeps the one summary it had, its one final summary
 * included, and a run after the restart is summarised as usual.
 */
@LocalPipeline
class RestartReemitIT {

    private static final int EVENTS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path stateDir;

    @Test
    void shouldNotEmitTheSummaryOfAFinishedRunAgainAfterARestart(TestPipeline pipeline) {
        Topics topics = pipeline.newTopics();
        String applicationId = "it-restart-" + UUID.randomUUID();
        RunKey finished = new RunKey("finished-" + UUID.randomUUID(), "scenario", "api");
        RunKey next = new RunKey("next-" + UUID.randomUUID(), "scenario", "api");

        try (CommittedRecords<RunKey, WindowStats> summaries =
                        pipeline.committed(topics.runSummaries());
                CommittedRecords<WindowKey, WindowStats> windows =
                        pipeline.committed(topics.windowStats())) {
            try (AnalyzeApp analyze = analyze(pipeline, topics, applicationId)) {
                analyze.start();
                send(pipeline, topics, finished);
                // the run is final once it fell silent: its last window is final then
                await().atMost(TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> hasFinalWindow(windows.poll(), finished));
                analyze.streams()
                        .close(
                                CloseOptions.groupMembershipOperation(
                                                CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                                        .withTimeout(Duration.ofSeconds(30)));
            }
            List<ConsumerRecord<RunKey, WindowStats>> before = summaries.readToEnd(TIMEOUT);
            long beforeRestart = summariesOf(before, finished);
            assertThat(beforeRestart).isPositive();
            assertThat(finalSummariesOf(before, finished)).isEqualTo(1);

            try (AnalyzeApp analyze = analyze(pipeline, topics, applicationId)) {
                analyze.start();
                send(pipeline, topics, next);
                await().atMost(TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> {
                                    WindowStats summary =
                                            CommittedRecords.latestByKey(summaries.poll())
                                                    .get(next);
                                    return summary != null && summary.getCount() == EVENTS;
                                });
            }
            List<ConsumerRecord<RunKey, WindowStats>> all = summaries.readToEnd(TIMEOUT);
            assertThat(summariesOf(all, finished)).isEqualTo(beforeRestart);
            assertThat(finalSummariesOf(all, finished)).isEqualTo(1);
            assertThat(CommittedRecords.latestByKey(all).get(finished).getCount())
                    .isEqualTo(EVENTS);
        }
    }

    private static boolean hasFinalWindow(
            List<ConsumerRecord<WindowKey, WindowStats>> records, RunKey run) {
        return records.stream()
                .anyMatch(r -> r.key().getRunId().equals(run.getRunId()) && r.value().getFinal$());
    }

    private static long summariesOf(List<ConsumerRecord<RunKey, WindowStats>> records, RunKey run) {
        return records.stream().filter(r -> r.key().equals(run)).count();
    }

    private static long finalSummariesOf(
            List<ConsumerRecord<RunKey, WindowStats>> records, RunKey run) {
        return records.stream().filter(r -> r.key().equals(run) && r.value().getFinal$()).count();
    }

    /** Ten requests of one generator within one second, a few seconds ago. */
    private static void send(TestPipeline pipeline, Topics topics, RunKey run) {
        long startUs = (System.currentTimeMillis() / 1000 - 3) * 1_000_000L;
        try (KafkaProducer<SeriesKey, RequestTiming> producer =
                pipeline.producer(topics.timings())) {
            for (int i = 0; i < EVENTS; i++) {
                long intendedUs = startUs + i * 50_000L;
                RequestTiming timing =
                        RequestTiming.newBuilder()
                                .setRunId(run.getRunId())
                                .setScenario(run.getScenario())
                                .setEndpoint(run.getEndpoint())
                                .setGeneratorId("gen")
                                .setIntendedSendTimeUs(intendedUs)
                                .setActualSendTimeUs(intendedUs)
                                .setLatencyUs(1_000 + i)
                                .setOutcome(Outcome.SUCCESS)
                                .setTags(Map.of())
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                topics.timings().name(),
                                new SeriesKey(
                                        run.getRunId(),
                                        run.getScenario(),
                                        run.getEndpoint(),
                                        "gen"),
                                timing));
            }
        }
    }

    /** Short timeouts, so that the run is final within seconds. */
    private AnalyzeApp analyze(TestPipeline pipeline, Topics topics, String applicationId) {
        return new AnalyzeApp(
                pipeline.clientConfig(),
                applicationId,
                1,
                stateDir,
                new AnalyzeSettings(
                        AnalyzeSettings.DEFAULT_WINDOW,
                        AnalyzeSettings.DEFAULT_GRACE,
                        Duration.ofSeconds(2),
                        Duration.ofMillis(200),
                        List.of(),
                        AnalyzeSettings.DEFAULT_RUN_RETENTION),
                pipeline.serdes(),
                topics);
    }
}
