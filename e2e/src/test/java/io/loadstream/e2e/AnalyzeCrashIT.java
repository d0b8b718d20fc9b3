package io.loadstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * Crash: an {@code analyze} process is killed with SIGKILL in the middle of a run, and started
 * again with the same application id and state directory, or taken over by a second instance that
 * shared the work; the final counts equal the acknowledged events exactly, none lost and none
 * counted twice.
 *
 * <p>The broker and the registry run in the test JVM (the module's shared ones: the test kills
 * {@code analyze}, never the broker), each {@code analyze} in a child JVM; the run (3 endpoints, 2
 * generators, 1,500 events per second for 20 s) is produced from the test JVM with an idempotent
 * {@code acks=all} producer that counts acknowledgements per endpoint. Results are read as {@code
 * read_committed} consumers see them: what the killed process wrote in its open transaction must
 * never show.
 *
 * <p>The two tests run at the same time, and beside the module's other test classes, each on
 * topics, an application id and state directories of its own: most of their time is waiting, for
 * the run to be produced; its generators' end markers then close the run at once.
 */
@ResourceLock(value = FaultsPipelineIT.MACHINE, mode = ResourceAccessMode.READ)
@LocalPipeline
@Execution(ExecutionMode.CONCURRENT)
class AnalyzeCrashIT {

    private static final List<String> ENDPOINTS = List.of("home", "search", "checkout");
    private static final List<String> GENERATORS = List.of("gen-1", "gen-2");
    private static final int PER_SERIES_PER_SECOND = 250;
    private static final int PER_SECOND =
            PER_SERIES_PER_SECOND * ENDPOINTS.size() * GENERATORS.size();
    private static final Duration RUN = Duration.ofSeconds(20);
    private static final long KILL_AFTER_EVENTS = 7L * PER_SECOND;
    private static final long RESTART_AFTER_EVENTS = 3L * PER_SECOND;
    private static final long WINDOW_MS = 1000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final TestPipeline pipeline;
    @TempDir Path dir;
    private Topics topics;
    private CommittedRecords<RunKey, WindowStats> runSummaries;
    private CommittedRecords<WindowKey, WindowStats> windowStats;
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

    AnalyzeCrashIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @AfterEach
    void stopAnalyze() throws InterruptedException {
        for (AnalyzeProcess analyze : analyzers) {
            analyze.close();
            analyzeOutputs.add("---- analyze, pid " + analyze.pid() + " ----\n" + analyze.output());
        }
        if (runSummaries != null) {
            runSummaries.close();
            windowStats.close();
        }
    }

    @Test
    void shouldCountEveryAcknowledgedEventExactlyOnceWhenAnalyzeIsKilledAndStartedAgain()
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String prefix = createTopics();
        List<String> options = analyzeOptions(prefix);
        AnalyzeProcess first = startAnalyze(options);
        warmUp("warm-up-" + id);

        String runId = "crash-" + id;
        Map<String, Long> acknowledged;
        TreeSet<Long> windowStarts;
        try (AcknowledgedLoad load = load(runId, GENERATORS, PER_SERIES_PER_SECOND, RUN)) {
            long acknowledgedAtKill = killMidRun(first, load, runId);
            await("production going on without analyze")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    load.acknowledgedTotal()
                                            >= acknowledgedAtKill + RESTART_AFTER_EVENTS);
            AnalyzeProcess second = startAnalyze(options);
            log(
                    "started analyze again (pid %d) at %d acknowledged events",
                    second.pid(), load.acknowledgedTotal());
            acknowledged = awaitRunEnd(load);
            windowStarts = windowStarts(load);
        }

        assertExactlyCounted(runId, acknowledged, windowStarts);
        assertThat(analyzers.get(1).isAlive()).as("analyze started again, still running").isTrue();
    }

    /**
     * Two instances share the work, each with a state directory of its own; one is killed mid-run
     * and the other takes over its tasks, restoring their stores from the changelogs.
     */
    @Test
    void shouldCountEveryAcknowledgedEventExactlyOnceWhenOneOfTwoInstancesIsKilled()
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String prefix = createTopics();
        AnalyzeProcess first = startAnalyze(analyzeOptions(prefix, "state-a"));
        warmUp("warm-up-" + id);
        AnalyzeProcess second = startAnalyze(analyzeOptions(prefix, "state-b"));
        awaitMembers(prefix + "analyze", 4);
        log("two instances (pids %d, %d) share the work", first.pid(), second.pid());

        String runId = "shared-" + id;
        Map<String, Long> acknowledged;
        TreeSet<Long> windowStarts;
        try (AcknowledgedLoad load = load(runId, GENERATORS, PER_SERIES_PER_SECOND, RUN)) {
            killMidRun(first, load, runId);
            acknowledged = awaitRunEnd(load);
            windowStarts = windowStarts(load);
        }

        assertExactlyCounted(runId, acknowledged, windowStarts);
        assertThat(second.isAlive()).as("the instance that took over, still running").isTrue();
    }

    /**
     * Creates the topics of this test under a prefix of its own, and readers of its results;
     * returns the prefix.
     */
    private String createTopics() {
        String prefix = pipeline.newPrefix();
        topics = pipeline.createTopics(new Topics(prefix));
        pipeline.serdes().registerSchemas(topics.timings());
        runSummaries = pipeline.committed(topics.runSummaries());
        windowStats = pipeline.committed(topics.windowStats());
        return prefix;
    }

    /** Waits until the application's consumer group has {@code members} stream threads in it. */
    private void awaitMembers(String applicationId, int members) {
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            await("both instances in the group")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    admin.describeConsumerGroups(List.of(applicationId))
                                                    .all()
                                                    .get()
                                                    .get(applicationId)
                                                    .members()
                                                    .size()
                                            >= members);
        }
    }

    /**
     * Run summaries equal the acknowledged events, every 1 s window is final exactly once, and the
     * final windows hold every event that was not late; still so once the last windows are final.
     */
    private void assertExactlyCounted(
            String runId, Map<String, Long> acknowledged, TreeSet<Long> windowStarts) {
        awaitRunSummaries(runId, acknowledged);
        Map<String, Map<Long, WindowStats>> finals = awaitFinalWindows(runId, windowStarts);
        // read again once the last windows are final: still exact
        Map<String, WindowStats> summaries = counted(runId);
        for (String endpoint : ENDPOINTS) {
            WindowStats summary = summaries.get(endpoint);
            long inWindows =
                    finals.get(endpoint).values().stream().mapToLong(WindowStats::getCount).sum();
            log(
                    "%s: acknowledged %d, run summary %d (late %d), final 1 s windows %d",
                    endpoint,
                    acknowledged.get(endpoint),
                    summary.getCount(),
                    summary.getLate(),
                    inWindows);
            assertThat(summary.getCount())
                    .as("%s run summary, after the windows are final", endpoint)
                    .isEqualTo(acknowledged.get(endpoint));
            assertThat(inWindows)
                    .as("%s: events in final 1 s windows", endpoint)
                    .isEqualTo(acknowledged.get(endpoint) - summary.getLate());
        }
    }

    /**
     * Kills {@code analyze} with SIGKILL once 7 s of the run are acknowledged and it has committed
     * part of the run's counts, so that it dies with counts in its stores and an open transaction.
     *
     * @return the events acknowledged at the kill
     */
    private long killMidRun(AnalyzeProcess analyze, AcknowledgedLoad load, String runId)
            throws InterruptedException {
        await("first seconds of the run acknowledged and partly counted")
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () ->
                                load.acknowledgedTotal() >= KILL_AFTER_EVENTS
                                        && counts(counted(runId)).values().stream()
                                                .anyMatch(count -> count > 0));
        assertThat(analyze.isAlive()).as("analyze before the kill").isTrue();
        long acknowledgedAtKill = load.acknowledgedTotal();
        assertThat(analyze.kill()).as("exit code after SIGKILL").isEqualTo(AnalyzeProcess.KILLED);
        log("killed analyze (pid %d) at %d acknowledged events", analyze.pid(), acknowledgedAtKill);
        return acknowledgedAtKill;
    }

    /** Waits for the end of the run; every event must be acknowledged. */
    private Map<String, Long> awaitRunEnd(AcknowledgedLoad load) throws Exception {
        load.awaitEnd(RUN.plusSeconds(40));
        assertThat(load.failed()).as(load.firstFailure().orElse("")).isZero();
        Map<String, Long> acknowledged =
                ENDPOINTS.stream().collect(Collectors.toMap(e -> e, load::acknowledged));
        assertThat(acknowledged)
                .allSatisfy(
                        (endpoint, count) -> assertThat(count).isEqualTo(load.eventsPerEndpoint()));
        log("run produced: %s acknowledged", acknowledged);
        return acknowledged;
    }

    /** Events through the first analyze process, until it has counted them all. */
    private void warmUp(String runId) throws Exception {
        try (AcknowledgedLoad load = load(runId, List.of("gen-1"), 10, Duration.ofMillis(500))) {
            load.awaitEnd(Duration.ofSeconds(30));
            Map<String, Long> acknowledged =
                    ENDPOINTS.stream().collect(Collectors.toMap(e -> e, load::acknowledged));
            await("warm-up counted")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> counts(counted(runId)).equals(acknowledged));
        }
        log("warm-up counted");
    }

    /**
     * Waits until each endpoint's run summary counts its acknowledged events; fails at once when
     * one counts more, since counts never go down.
     */
    private void awaitRunSummaries(String runId, Map<String, Long> acknowledged) {
        AtomicReference<Map<String, Long>> counts = new AtomicReference<>(Map.of());
        await("run summaries equal to the acknowledged events")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .failFast(
                        "a run summary counts more events than were acknowledged",
                        () ->
                                assertThat(counts.get())
                                        .allSatisfy(
                                                (endpoint, count) ->
                                                        assertThat(count)
                                                                .as(endpoint)
                                                                .isLessThanOrEqualTo(
                                                                        acknowledged.get(
                                                                                endpoint))))
                .untilAsserted(
                        () -> {
                            counts.set(counts(counted(runId)));
                            assertThat(counts.get()).isEqualTo(acknowledged);
                        });
        log("run summaries equal the acknowledged events");
    }

    /**
     * Waits until every expected 1 s window of every endpoint is final, and checks that each was
     * written final exactly once.
     */
    private Map<String, Map<Long, WindowStats>> awaitFinalWindows(
            String runId, TreeSet<Long> starts) {
        AtomicReference<List<ConsumerRecord<WindowKey, WindowStats>>> records =
                new AtomicReference<>();
        await("final 1 s windows")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            records.set(finalWindowRecords(runId));
                            Map<String, Map<Long, WindowStats>> finals =
                                    byEndpointAndStart(records.get());
                            for (String endpoint : ENDPOINTS) {
                                assertThat(finals.getOrDefault(endpoint, Map.of()).keySet())
                                        .as("%s final 1 s windows", endpoint)
                                        .containsExactlyElementsOf(starts);
                            }
                        });
        assertThat(
                        records.get().stream()
                                .collect(
                                        Collectors.groupingBy(
                                                ConsumerRecord::key, Collectors.counting())))
                .as("final records per window")
                .allSatisfy((key, written) -> assertThat(written).as("%s", key).isEqualTo(1));
        log("every 1 s window final");
        return byEndpointAndStart(records.get());
    }

    private List<ConsumerRecord<WindowKey, WindowStats>> finalWindowRecords(String runId) {
        return windowStats.readToEnd(READ_TIMEOUT).stream()
                .filter(r -> r.key().getRunId().equals(runId))
                .filter(r -> r.key().getResolutionMs() == WINDOW_MS)
                .filter(r -> r.value() != null && r.value().getFinal$())
                .toList();
    }

    private static Map<String, Map<Long, WindowStats>> byEndpointAndStart(
            List<ConsumerRecord<WindowKey, WindowStats>> records) {
        Map<String, Map<Long, WindowStats>> windows = new TreeMap<>();
        CommittedRecords.latestByKey(records)
                .forEach(
                        (key, stats) ->
                                windows.computeIfAbsent(key.getEndpoint(), e -> new TreeMap<>())
                                        .put(key.getWindowStartMs(), stats));
        return windows;
    }

    /** The latest run summary of each endpoint of {@code runId}. */
    private Map<String, WindowStats> counted(String runId) {
        Map<String, WindowStats> byEndpoint = new TreeMap<>();
        CommittedRecords.latestByKey(runSummaries.readToEnd(READ_TIMEOUT))
                .forEach(
                        (RunKey key, WindowStats stats) -> {
                            if (key.getRunId().equals(runId) && stats != null) {
                                byEndpoint.put(key.getEndpoint(), stats);
                            }
                        });
        return byEndpoint;
    }

    private static Map<String, Long> counts(Map<String, WindowStats> summaries) {
        return summaries.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getCount()));
    }

    private static TreeSet<Long> windowStarts(AcknowledgedLoad load) {
        long first = Math.floorDiv(load.firstIntendedMs(), WINDOW_MS);
        long last = Math.floorDiv(load.lastIntendedMs(), WINDOW_MS);
        return LongStream.rangeClosed(first, last)
                .mapToObj(w -> w * WINDOW_MS)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private AcknowledgedLoad load(
            String runId, List<String> generators, int perSecond, Duration duration) {
        return AcknowledgedLoad.start(
                pipeline.clientConfig().producer(),
                pipeline.serdes().keySerde(topics.timings()).serializer(),
                pipeline.serdes().valueSerde(topics.timings()).serializer(),
                topics.timings().name(),
                runId,
                ENDPOINTS,
                generators,
                perSecond,
                duration);
    }

    private List<String> analyzeOptions(String prefix) throws Exception {
        return analyzeOptions(prefix, "state");
    }

    private List<String> analyzeOptions(String prefix, String stateDir) throws Exception {
        return List.of(
                "--bootstrap-servers",
                pipeline.bootstrapServers(),
                "--config",
                clientProperties().toString(),
                "--schema-registry-url",
                pipeline.registryUrl(),
                "--topic-prefix",
                prefix,
                "--application-id",
                prefix + "analyze",
                "--state-dir",
                dir.resolve(stateDir).toString(),
                "--threads",
                "2",
                "--idle-timeout",
                "30s");
    }

    private AnalyzeProcess startAnalyze(List<String> options) throws Exception {
        Path log = dir.resolve("analyze-" + (analyzers.size() + 1) + ".log");
        AnalyzeProcess analyze = AnalyzeProcess.start(log, options);
        analyzers.add(analyze);
        return analyze;
    }

    /**
     * Kafka client properties for analyze: the killed instance's consumers leave the group when
     * their session times out, 10 s after the kill rather than the default 45 s, so that the new
     * instance takes over while the run is still being produced. The idle timeout (30 s) stays
     * above it, as it must.
     */
    private Path clientProperties() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "session.timeout.ms=10000\nheartbeat.interval.ms=3000\n");
        return file;
    }

    private void log(String format, Object... args) {
        System.out.printf(
                "[%5.1f s] %s%n",
                (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
    }
}
