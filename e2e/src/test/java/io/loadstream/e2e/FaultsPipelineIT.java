package io.loadstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.producers.execute.EndpointChooser;
import io.loadstream.producers.execute.TimingEvents;
import io.loadstream.producers.http.HttpClientSettings;
import io.loadstream.producers.http.HttpDriver;
import io.loadstream.producers.http.HttpEndpoint;
import io.loadstream.producers.publish.TimingPublisher;
import io.loadstream.producers.run.LoadExecution;
import io.loadstream.producers.run.LoadShare;
import io.loadstream.producers.scenario.ExecutorSpec;
import io.loadstream.producers.scenario.ExecutorType;
import io.loadstream.producers.target.TargetConfig;
import io.loadstream.producers.target.TargetServer;
import io.loadstream.schemas.histogram.Histograms;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Faults injected by {@code loadstream target}, seen through the whole pipeline on loopback and a
 * real broker: HTTP load from the generator's executors, timing events through the publisher,
 * windows from the analyze application. The fault schedule and the load start on the same whole
 * second, so fault windows and one-second windows line up.
 *
 * <p>A busy machine (broker, analyze, target and generator on 2 shared cores) stalls now and then,
 * for a second at times, and a stall only adds latency. So nothing here bounds a latency from
 * above: the figures are lower bounds that the faults guarantee, relations with wide margins to the
 * same run's calm windows, and which windows are slowest by their lower quartile.
 */
@Order(1)
@ResourceLock(value = FaultsPipelineIT.MACHINE, mode = ResourceAccessMode.READ_WRITE)
@LocalPipeline
class FaultsPipelineIT {

    /**
     * The machine's CPU, as a lock: this class holds it alone, first of the module's classes, since
     * its assertions compare latencies within a run and a machine shared with the classes that run
     * concurrently (child JVMs, a second analyze) stalled its first seconds and froze runs; those
     * classes share it among themselves.
     */
    static final String MACHINE = "machine";

    private static final int SECONDS = 20;

    /** Requests per second of the spike and burst run, half to each endpoint. */
    private static final int RATE = 500;

    /** Windows of the run away from its start (see {@link #slowestByLowerQuartile}) and faults. */
    private static final List<Integer> CALM = List.of(2, 3, 4, 5, 6, 7, 8, 16, 17, 18, 19);

    /** Windows of the freeze's run away from its start and before the freeze. */
    private static final List<Integer> BEFORE_FREEZE = List.of(2, 3, 4, 5, 6, 7, 8, 9);

    private static final AnalyzeSettings SETTINGS =
            new AnalyzeSettings(
                    AnalyzeSettings.DEFAULT_WINDOW,
                    AnalyzeSettings.DEFAULT_GRACE,
                    Duration.ofSeconds(10),
                    AnalyzeSettings.DEFAULT_EMIT_INTERVAL,
                    AnalyzeSettings.DEFAULT_ROLLUPS);

    @TempDir Path stateDir;
    private final List<InProcessAnalyze> analyzers = new ArrayList<>();

    @AfterEach
    void stopAnalyze() {
        analyzers.forEach(InProcessAnalyze::close);
    }

    @Test
    void shouldShowLatencySpikeAndErrorBurstInExactlyTheirWindows(TestPipeline pipeline)
            throws Exception {
        TargetConfig target =
                TargetConfig.parse(
                        """
endpoints:
  - {name: api, median: 5ms, p99: 10ms}
  - {name: pay, median: 5ms, p99: 10ms}
faults:
  - {type: latency-spike, endpoint: api, start: 10s, duration: 5s, factor: 10}
  - {type: error-burst, endpoint: pay, start: 5s, duration: 3s, percent: 50, status: 503}
""",
                        "spike-and-burst.yaml");
        // a rate that leaves a machine shared with other work room to catch up after a stall (at
        // 1,000 a second, a loaded one fell seconds behind for good); and no request is dropped
        // however long it stalls: a stall shows as latency, which the assertions below allow
        // for, not as DROPPED errors in pay's windows
        Function<Duration, ExecutorSpec> load =
                duration ->
                        new ExecutorSpec(
                                ExecutorType.CONSTANT_ARRIVAL_RATE,
                                (double) RATE,
                                null,
                                duration,
                                null,
                                RATE * SECONDS,
                                null,
                                null);

        Map<Integer, WindowStats> api;
        Map<Integer, WindowStats> pay;
        try (RunWindows windows = run(pipeline, target, load)) {
            api = windows.finals("api", SECONDS);
            pay = windows.finals("pay", SECONDS);
        }
        print("api", api);
        print("pay", pay);

        // open model, counted by intended send time: exactly half of the requests of a second
        api.forEach((w, a) -> assertThat(a.getCount()).as("api window %d", w).isEqualTo(RATE / 2));
        long calmP25 = calmMedian(api, CALM, FaultsPipelineIT::lowerQuartile);
        long configuredP99 = 10_000;
        for (int w = 10; w < 15; w++) {
            // ten times the target's p99, within the sampling error of 250 requests: a lower
            // bound a slow machine cannot break, the target waits at least that long
            assertThat(api.get(w).getP99Us())
                    .as("api window %d p99", w)
                    .isGreaterThanOrEqualTo((long) (10 * configuredP99 * 0.8));
            // every request is slowed, so the body of the window moves with the tail: at least 3
            // times what the same run measured outside the spike (the tails of calm windows move
            // with the load of the machine, their quartiles hardly)
            assertThat(lowerQuartile(api.get(w)))
                    .as("api window %d p25", w)
                    .isGreaterThanOrEqualTo(3 * calmP25);
        }
        // the spike is in exactly its five windows
        assertThat(slowestByLowerQuartile(api, 5)).isEqualTo(Set.of(10, 11, 12, 13, 14));

        for (int w = 0; w < SECONDS; w++) {
            WindowStats p = pay.get(w);
            if (w >= 5 && w < 8) {
                assertThat(p.getErrorRate()).as("pay window %d error rate", w).isBetween(0.3, 0.7);
                assertThat(p.getOutcomeCounts().get(Outcome.HTTP_ERROR.name()))
                        .isEqualTo(p.getErrors());
            } else if (w == 4) {
                // the burst goes by arrival at the target: requests due just before it that the
                // machine delays arrive in it, a few more the busier the machine is
                assertThat(p.getErrorRate())
                        .as("pay window %d error rate", w)
                        .isLessThanOrEqualTo(0.1);
            } else {
                assertThat(p.getErrorRate())
                        .as("pay window %d error rate", w)
                        .isLessThanOrEqualTo(0.01);
            }
        }
    }

    @Test
    void shouldShowAFreezeInLatencyFromTheIntendedSendTimeThatActualSendTimeHides(
            TestPipeline pipeline) throws Exception {
        TargetConfig target =
                TargetConfig.parse(
                        """
                        endpoints:
                          - {name: frozen, median: 500us, p99: 1ms}
                        faults:
                          - {type: hang, start: 10s, duration: 2s}
                        """,
                        "freeze.yaml");
        // 10 users, each starting a request every 10 ms: 1,000 requests per second. After the
        // freeze they catch up on the requests it held back, each sent as soon as the user is
        // free; on a busy machine that can take the rest of the run, so only the seconds up to the
        // freeze's end are awaited and compared
        Function<Duration, ExecutorSpec> load =
                duration ->
                        new ExecutorSpec(
                                ExecutorType.CONSTANT_VUS,
                                null,
                                null,
                                duration,
                                null,
                                null,
                                10,
                                Duration.ofMillis(10));

        Map<Integer, WindowStats> frozen;
        try (RunWindows windows = run(pipeline, target, load)) {
            frozen = windows.finals("frozen", 12);
        }
        print("frozen", frozen);

        long calmP99 = calmMedian(frozen, BEFORE_FREEZE, WindowStats::getP99Us);
        for (int w : List.of(10, 11)) {
            WindowStats stats = frozen.get(w);
            assertThat(stats.getCount()).as("window %d", w).isBetween(990L, 1010L);
            // a request due in the frozen seconds waits until the hang is over: at least the
            // second left of it, however fast the machine
            assertThat(stats.getP99Us())
                    .as("corrected p99, window %d", w)
                    .isGreaterThanOrEqualTo(1_000_000)
                    .isGreaterThanOrEqualTo(3 * calmP99);
            // once the hang is over, each request sent is answered at the usual speed
            assertThat(stats.getUncorrectedP99Us())
                    .as("uncorrected p99, window %d", w)
                    .isLessThanOrEqualTo(stats.getP99Us() / 10);
        }
        // the windows before the freeze are calm: their bodies far below the frozen windows'. The
        // windows after it are not compared: the users catch up on the requests the freeze held
        // back, and how long that takes depends on how busy the machine is
        long frozenP25 = Math.min(lowerQuartile(frozen.get(10)), lowerQuartile(frozen.get(11)));
        for (int w : BEFORE_FREEZE) {
            assertThat(3 * lowerQuartile(frozen.get(w)))
                    .as("3 x p25 of window %d before the freeze", w)
                    .isLessThan(frozenP25);
        }
    }

    /**
     * Starts analyze on topics of its own, then the target and the load on the same whole second
     * after a short warm-up; publishes the timings and closes the windows with one event per
     * endpoint past the grace period. Returns a reader of the run's windows.
     */
    private RunWindows run(
            TestPipeline pipeline, TargetConfig config, Function<Duration, ExecutorSpec> load)
            throws Exception {
        InProcessAnalyze analyze = InProcessAnalyze.start(pipeline, SETTINGS, stateDir);
        analyzers.add(analyze);
        Topics topics = analyze.topics();
        String runId = "faults-" + UUID.randomUUID();
        long origin;
        try (TimingPublisher publisher =
                new TimingPublisher(
                        pipeline.clientConfig().producer(),
                        pipeline.serdes().keySerde(topics.timings()).serializer(),
                        pipeline.serdes().valueSerde(topics.timings()).serializer(),
                        topics.timings().name())) {
            publisher.awaitMetadata();
            warmUp(config, load, publisher);
            origin = runAt(config, load.apply(Duration.ofSeconds(SECONDS)), publisher, runId);
        }
        return new RunWindows(pipeline.committed(topics.windowStats()), runId, origin);
    }

    /** Runs the load from the next whole second but one; returns that second, in ms. */
    private static long runAt(
            TargetConfig config, ExecutorSpec load, TimingPublisher publisher, String runId)
            throws Exception {
        long origin = (System.currentTimeMillis() / 1000 + 2) * 1000;
        try (TargetServer target = TargetServer.start(config, "127.0.0.1", 0, origin);
                HttpDriver driver = driver(target, config)) {
            while (System.currentTimeMillis() < origin) {
                LockSupport.parkNanos(100_000);
            }
            TimingEvents events =
                    new TimingEvents(
                            runId,
                            "faults",
                            "gen-1",
                            config.endpointNames(),
                            Map.of(),
                            origin * 1000);
            LoadExecution.Result result =
                    new LoadExecution(
                                    load,
                                    LoadShare.ALL,
                                    driver,
                                    EndpointChooser.roundRobin(config.endpoints().size()),
                                    events,
                                    publisher)
                            .run(() -> false, status -> {});
            assertThat(result.dropped()).isZero();
            for (String endpoint : config.endpointNames()) {
                publisher.publish(
                        closing(runId, endpoint, (origin + (SECONDS + 10) * 1000L) * 1000));
            }
            assertThat(publisher.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(publisher.failed() + publisher.dropped()).isZero();
        }
        return origin;
    }

    /**
     * Sends 3 s of the same load through the whole pipeline first (a target whose faults are long
     * over, the publisher, the analyze application), so that the measured run starts at speed
     * rather than with the JIT and the first transactions in its first window.
     */
    private static void warmUp(
            TargetConfig config, Function<Duration, ExecutorSpec> load, TimingPublisher publisher) {
        long longAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        ExecutorSpec threeSeconds = load.apply(Duration.ofSeconds(3));
        try (TargetServer target = TargetServer.start(config, "127.0.0.1", 0, longAgo);
                HttpDriver driver = driver(target, config)) {
            new LoadExecution(
                            threeSeconds,
                            LoadShare.ALL,
                            driver,
                            EndpointChooser.roundRobin(config.endpoints().size()),
                            new TimingEvents(
                                    "warm-up-" + UUID.randomUUID(),
                                    "faults",
                                    "gen-1",
                                    config.endpointNames(),
                                    Map.of(),
                                    System.currentTimeMillis() * 1000),
                            publisher)
                    .run(() -> false, status -> {});
        }
    }

    private static HttpDriver driver(TargetServer target, TargetConfig config) {
        return new HttpDriver(
                config.endpoints().stream()
                        .map(
                                e ->
                                        HttpEndpoint.get(
                                                e.name(),
                                                URI.create(target.baseUrl() + e.path()),
                                                Duration.ofSeconds(10)))
                        .toList(),
                HttpClientSettings.defaults().withMaxConnections(100));
    }

    /** The final 1 s windows of one run, read from {@code window-stats}. */
    private record RunWindows(
            CommittedRecords<WindowKey, WindowStats> windowStats, String runId, long originMs)
            implements AutoCloseable {

        /**
         * Waits until the first {@code seconds} seconds of the run have a final 1 s window for
         * {@code endpoint}; returns the run's final windows by second (the closing event's window
         * is not one).
         */
        Map<Integer, WindowStats> finals(String endpoint, int seconds) {
            Map<Integer, WindowStats> bySecond = new TreeMap<>();
            Map<Integer, WindowStats> open = new TreeMap<>();
            try {
                awaitFinals(endpoint, seconds, bySecond, open);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(
                        "final 1 s windows of "
                                + endpoint
                                + " after 2 minutes: seconds "
                                + bySecond.keySet()
                                + "; not final: "
                                + open.keySet(),
                        e);
            }
            return bySecond;
        }

        private void awaitFinals(
                String endpoint,
                int seconds,
                Map<Integer, WindowStats> bySecond,
                Map<Integer, WindowStats> open) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> {
                                for (ConsumerRecord<WindowKey, WindowStats> r :
                                        windowStats.poll()) {
                                    WindowKey key = r.key();
                                    if (key.getRunId().equals(runId)
                                            && key.getEndpoint().equals(endpoint)
                                            && key.getResolutionMs() == 1000) {
                                        long second = (key.getWindowStartMs() - originMs) / 1000;
                                        if (second >= 0 && second < SECONDS) {
                                            (r.value().getFinal$() ? bySecond : open)
                                                    .put((int) second, r.value());
                                        }
                                    }
                                }
                                open.keySet().removeAll(bySecond.keySet());
                                return bySecond.keySet()
                                        .containsAll(IntStream.range(0, seconds).boxed().toList());
                            });
        }

        @Override
        public void close() {
            windowStats.close();
        }
    }

    /** The median of {@code statistic} over {@code calm} windows: the run away from its faults. */
    private static long calmMedian(
            Map<Integer, WindowStats> windows,
            List<Integer> calm,
            ToLongFunction<WindowStats> statistic) {
        List<Long> values =
                calm.stream().map(s -> statistic.applyAsLong(windows.get(s))).sorted().toList();
        return values.get(values.size() / 2);
    }

    /** The 25th percentile of a window's latency, read from its histogram. */
    private static long lowerQuartile(WindowStats window) {
        return Histograms.decode(window.getHistogram()).getValueAtPercentile(25);
    }

    /**
     * The {@code n} seconds whose lower quartile of latency is highest, but for the first: it goes
     * to a target and through a driver started just before it, and on a loaded machine it was slow
     * as a whole. A fault slows every request of its windows, while a stall of the busy machine
     * slows the requests around it and leaves most of its window as fast as ever, and a request
     * sent late across a fault's end escapes the fault: the lower quartile finds the fault's
     * windows whatever the tails and the edges did.
     */
    private static Set<Integer> slowestByLowerQuartile(Map<Integer, WindowStats> windows, int n) {
        return windows.entrySet().stream()
                .filter(e -> e.getKey() > 0)
                .sorted(
                        Comparator.comparingLong(
                                        (Map.Entry<Integer, WindowStats> e) ->
                                                lowerQuartile(e.getValue()))
                                .reversed())
                .limit(n)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Writes the run's windows to the test's output, to read when an assertion fails. */
    private static void print(String endpoint, Map<Integer, WindowStats> windows) {
        System.out.println(endpoint + ": second count errors min p25 p50 p99 uncorrected-p99 (us)");
        windows.forEach(
                (second, w) ->
                        System.out.printf(
                                "%2d %5d %5d %8d %8d %8d %8d %8d%n",
                                second,
                                w.getCount(),
                                w.getErrors(),
                                w.getMinUs(),
                                lowerQuartile(w),
                                w.getP50Us(),
                                w.getP99Us(),
                                w.getUncorrectedP99Us()));
    }

    private static RequestTiming closing(String runId, String endpoint, long intendedUs) {
        return RequestTiming.newBuilder()
                .setRunId(runId)
                .setScenario("faults")
                .setEndpoint(endpoint)
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(1)
                .setOutcome(Outcome.SUCCESS)
                .setTags(Map.of())
                .build();
    }
}
