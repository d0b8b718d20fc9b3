package io.loadstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertState;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Alerts on a real broker: a run's p99 goes over a rule's critical threshold, {@code analyze} (a
 * child JVM) is killed with SIGKILL while the alert fires and started again with the same state
 * directory, and the run's p99 comes back. The {@code alerts} topic, read as {@code read_committed}
 * consumers see it, then holds each transition once: PENDING, FIRING, RESOLVED with sequence 1, 2,
 * 3, none repeated or lost.
 *
 * <p>It also measures the time from the first breaching request (its send time) to the moment the
 * FIRING record can be read, and prints it. The floor is set by when windows become final: the
 * first breaching window is final a grace period after its end, and with {@code for} of one window
 * the alert fires on the next one, so the time is at most window + for + grace plus the pipeline's
 * own delay. The test runs with a grace of 1 s (requests here take 200 ms), and asserts only with a
 * wide margin: the figure depends on how busy the machine is, and the margin still tells an alert
 * on final windows from one that waits for the idle timeout (60 s).
 */
@ResourceLock(value = FaultsPipelineIT.MACHINE, mode = ResourceAccessMode.READ)
@LocalPipeline
@Execution(ExecutionMode.CONCURRENT)
class AlertCrashIT {

    private static final long WINDOW_MS = 1000;
    private static final long FOR_MS = 1000;
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final long FAST_US = 5_000;
    private static final long SLOW_US = 200_000;
    private static final double CRITICAL_US = 100_000;

    @TempDir Path dir;
    private final List<AnalyzeProcess> analyzers = new ArrayList<>();
    private final List<String> analyzeOutputs = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    @RegisterExtension
    final TestWatcher printAnalyzeOutputOnFailure =
            new TestWatcher() {
                @Override
                public void testFailed(ExtensionContext context, Throwable cause) {
                    analyzeOutputs.forEach(System.out::println);
                }
            };

    @AfterEach
    void stopAnalyze() throws InterruptedException {
        for (AnalyzeProcess analyze : analyzers) {
            analyze.close();
            analyzeOutputs.add("---- analyze, pid " + analyze.pid() + " ----\n" + analyze.output());
        }
    }

    @Test
    void shouldWriteEachTransitionOnceWhenAnalyzeIsKilledWhileAnAlertFires(TestPipeline pipeline)
            throws Exception {
        log("test starts");
        String prefix = pipeline.newPrefix();
        Topics topics = pipeline.createTopics(new Topics(prefix));
        pipeline.serdes().registerSchemas(topics.timings());
        String runId = "alert-crash-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<String, ThresholdRule> rules = pipeline.producer(topics.rules())) {
            rules.send(new ProducerRecord<>(topics.rules().name(), "p99-slow", rule(runId))).get();
        }
        List<String> options = analyzeOptions(pipeline, prefix);
        AnalyzeProcess first = startRunning(options);
        log("analyze running (pid %d)", first.pid());

        AlertKey key = new AlertKey("p99-slow", runId, "it", "api");
        try (CommittedRecords<AlertKey, Alert> alerts = pipeline.committed(topics.alerts());
                SteadyLoad load =
                        new SteadyLoad(pipeline.producer(topics.timings()), topics, runId)) {
            await("a second of fast requests published")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> load.published() >= 200);
            long firstSlowMs = load.switchTo(SLOW_US);
            Alert firing = awaitState(alerts, key, AlertState.FIRING, Duration.ofSeconds(30));
            long firingAfterMs = System.currentTimeMillis() - firstSlowMs;
            log("FIRING %d ms after the first breaching request was sent", firingAfterMs);
            System.out.printf(
                    "AlertCrashIT: first breaching request to FIRING record: %d ms (window %d ms,"
                            + " for %d ms, grace %d ms)%n",
                    firingAfterMs, WINDOW_MS, FOR_MS, GRACE.toMillis());

            assertThat(first.kill()).isEqualTo(AnalyzeProcess.KILLED);
            log("killed analyze (pid %d) while the alert fires", first.pid());
            AnalyzeProcess second = startRunning(options);
            log("analyze running again (pid %d)", second.pid());
            load.switchTo(FAST_US);
            awaitState(alerts, key, AlertState.RESOLVED, Duration.ofSeconds(30));
            log("RESOLVED");

            List<Alert> transitions =
                    alerts.readToEnd(Duration.ofSeconds(30)).stream()
                            .filter(r -> r.key().equals(key))
                            .map(ConsumerRecord::value)
                            .toList();
            assertThat(transitions)
                    .extracting(Alert::getState)
                    .containsExactly(AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED);
            assertThat(transitions).extracting(Alert::getSequence).containsExactly(1L, 2L, 3L);
            assertThat(firing.getActiveSinceMs())
                    .as("the episode began with the window of the first breaching request")
                    .isEqualTo(Math.floorDiv(firstSlowMs, WINDOW_MS) * WINDOW_MS);
            assertThat(firingAfterMs)
                    .as("window + for + grace, with a wide margin for a busy machine")
                    .isLessThan(WINDOW_MS + FOR_MS + GRACE.toMillis() + 15_000);
        }
    }

    private Alert awaitState(
            CommittedRecords<AlertKey, Alert> alerts,
            AlertKey key,
            AlertState state,
            Duration atMost) {
        Alert[] found = {null};
        await(state + " on alerts")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () -> {
                            Optional<Alert> match =
                                    alerts.poll().stream()
                                            .filter(r -> r.key().equals(key))
                                            .map(ConsumerRecord::value)
                                            .filter(a -> a.getState() == state)
                                            .findFirst();
                            match.ifPresent(a -> found[0] = a);
                            return match.isPresent();
                        });
        return found[0];
    }

    private static ThresholdRule rule(String runId) {
        return ThresholdRule.newBuilder()
                .setRuleId("p99-slow")
                .setRun(runId)
                .setMetric("p99")
                .setComparator(Comparator.ABOVE)
                .setCritical(CRITICAL_US)
                .setResolutionMs(WINDOW_MS)
                .setForMs(FOR_MS)
                .setSource("AlertCrashIT")
                .build();
    }

    private AnalyzeProcess startRunning(List<String> options) throws Exception {
        AnalyzeProcess analyze =
                AnalyzeProcess.start(dir.resolve("analyze-" + analyzers.size() + ".log"), options);
        analyzers.add(analyze);
        await("analyze running")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> analyze.lastState().filter("RUNNING"::equals).isPresent());
        return analyze;
    }

    /**
     * Options of {@code loadstream analyze}: one stream thread, and static membership ({@code
     * group.instance.id}), so that the restarted instance takes the killed one's place in the
     * consumer group at once instead of after its session timed out.
     */
    private List<String> analyzeOptions(TestPipeline pipeline, String prefix) throws Exception {
        Path config = dir.resolve("client.properties");
        Files.writeString(
                config, "group.instance.id=" + prefix + "analyze\nsession.timeout.ms=10000\n");
        return List.of(
                "--bootstrap-servers",
                pipeline.bootstrapServers(),
                "--config",
                config.toString(),
                "--schema-registry-url",
                pipeline.registryUrl(),
                "--topic-prefix",
                prefix,
                "--application-id",
                prefix + "analyze",
                "--state-dir",
                dir.resolve("state").toString(),
                "--threads",
                "1",
                "--grace",
                GRACE.toMillis() + "ms");
    }

    private void log(String format, Object... args) {
        System.out.printf(
                "[%5.1f s] %s%n",
                (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
    }

    /**
     * One generator's requests to one endpoint, one every 5 ms, published as they complete (send
     * time = now - latency) with the latency set last.
     */
    private static final class SteadyLoad implements AutoCloseable {

        private final KafkaProducer<SeriesKey, RequestTiming> producer;
        private final String topic;
        private final SeriesKey series;
        private final AtomicLong latencyUs = new AtomicLong(FAST_US);
        private final AtomicLong published = new AtomicLong();
        private final AtomicLong firstAtLatencyMs = new AtomicLong();
        private final ScheduledExecutorService ticker =
                Executors.newSingleThreadScheduledExecutor();

        SteadyLoad(KafkaProducer<SeriesKey, RequestTiming> producer, Topics topics, String runId) {
            this.producer = producer;
            this.topic = topics.timings().name();
            this.series = new SeriesKey(runId, "it", "api", "gen-1");
            ticker.scheduleAtFixedRate(this::publish, 0, 5, TimeUnit.MILLISECONDS);
        }

        long published() {
            return published.get();
        }

        /**
         * Requests from now on take {@code latency}; returns the send time of the first of them, in
         * epoch milliseconds.
         */
        long switchTo(long latency) {
            firstAtLatencyMs.set(0);
            latencyUs.set(latency);
            await().atMost(Duration.ofSeconds(5)).until(() -> firstAtLatencyMs.get() > 0);
            return firstAtLatencyMs.get();
        }

        private void publish() {
            long latency = latencyUs.get();
            long sentUs = System.currentTimeMillis() * 1000 - latency;
            RequestTiming timing =
                    RequestTiming.newBuilder()
                            .setRunId(series.getRunId())
                            .setScenario(series.getScenario())
                            .setEndpoint(series.getEndpoint())
                            .setGeneratorId(series.getGeneratorId())
                            .setIntendedSendTimeUs(sentUs)
                            .setActualSendTimeUs(sentUs)
                            .setLatencyUs(latency)
                            .setOutcome(Outcome.SUCCESS)
                            .setTags(Map.of())
                            .build();
            producer.send(new ProducerRecord<>(topic, null, sentUs / 1000, series, timing));
            published.incrementAndGet();
            if (latency == latencyUs.get()) {
                firstAtLatencyMs.compareAndSet(0, sentUs / 1000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            producer.close(Duration.ofSeconds(10));
        }
    }
}
