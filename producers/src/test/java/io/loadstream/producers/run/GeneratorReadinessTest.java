package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.DriverResponse;
import io.loadstream.producers.scenario.ExecutorSpec;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.producers.synthetic.SyntheticDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * A run gets ready (connections, warm-up) before its time 0, on a fake clock that only the run's
 * waiter and the drivers below move, and whose wall clock follows it: an event's intended send time
 * says when on that clock the schedule meant it.
 */
class GeneratorReadinessTest {

    private static final Instant ORIGIN = Instant.parse("2024-05-01T12:00:00Z");
    private static final long ORIGIN_US = 1_714_564_800_000_000L;

    private final long[] nanos = {0};
    private final RunClock clock =
            new RunClock(new FollowingClock(), () -> nanos[0], this::waitUntil);
    private final List<String> notes = new ArrayList<>();

    /** The default warm-up, with fewer calls. */
    private static final WarmUp WARM_UP = new WarmUp(2_000, true);

    @Test
    void shouldOpenConnectionsAndWarmUpBeforeTheFirstIntendedSend() {
        // each warm-up call costs 0.5 ms of the fake clock: the warm-up takes 1 s
        ColdDriver driver = new ColdDriver(2_000, 500_000);
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        run(plan(driver, 100, Duration.ofSeconds(2)), publisher, WARM_UP);

        long firstIntended = intendedNanos(publisher.events.get(0));
        assertThat(driver.preparedAtNanos).isNotNull().isLessThan(firstIntended);
        // the warm-up's calls all came before time 0
        assertThat(driver.callNanos).hasSize(2_000 + 200);
        assertThat(driver.callNanos.subList(0, 2_000)).allMatch(t -> t <= firstIntended);
        assertThat(firstIntended).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(notes)
                .anyMatch(
                        line ->
                                line.startsWith("Ready in ")
                                        && line.contains("4 connections 0.0 s")
                                        && line.contains(
                                                "warm-up 1.0 s (2,000 calls to a local stand-in)"));
    }

    @Test
    void shouldStartTheScheduleOnlyOnceTheStepsAlongsideAreDone() {
        ColdDriver driver = new ColdDriver(0, 0);
        InMemoryPublisher publisher = new InMemoryPublisher(0);
        AtomicBoolean analyzeRunning = new AtomicBoolean();
        Readiness readiness = new Readiness(clock.nanos());
        // like the demo's analyze application: started before the generator gets ready, and
        // able to finish only once the generator has opened its connections, beside it
        readiness.alongside(
                "analyze",
                () -> {
                    try {
                        assertThat(driver.prepared.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    analyzeRunning.set(true);
                });
        driver.onSend = () -> driver.analyzeRunningAtCall.add(analyzeRunning.get());

        new GeneratorRun(
                        plan(driver, 100, Duration.ofSeconds(1)),
                        LoadShare.ALL,
                        "run-1",
                        "gen-1",
                        publisher,
                        Optional.empty(),
                        clock)
                .withReadiness(readiness, WARM_UP)
                .run(() -> false, notes::add, line -> {});

        // the run's 100 calls, after the warm-up's 2,000, all came once analyze was running
        List<Boolean> atCall = driver.analyzeRunningAtCall;
        assertThat(atCall.subList(2_000, atCall.size())).hasSize(100).containsOnly(true);
        assertThat(readiness.steps())
                .extracting(Readiness.Step::name)
                .containsExactly("connections", "warm-up", "analyze");
        assertThat(notes).anyMatch(line -> line.contains("(alongside)"));
    }

    @Test
    void shouldNeitherPublishNorCountTheWarmUpCalls() {
        ColdDriver driver = new ColdDriver(0, 0);
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        GeneratorRun.Report report = run(plan(driver, 100, Duration.ofSeconds(3)), publisher);

        assertThat(driver.callNanos).hasSize(10_000 + 300);
        assertThat(publisher.events).hasSize(300);
        assertThat(publisher.events).allMatch(e -> e.getRunId().equals("run-1"));
        assertThat(report.result().started()).isEqualTo(300);
        assertThat(report.events()).isEqualTo(300);
        assertThat(publisher.rehearsed).hasValue(10_000);
    }

    @Test
    void shouldOpenNoConnectionsBeforeTimeZeroWhenTheWarmUpIsLocal() {
        ColdDriver driver = new ColdDriver(0, 0);
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        run(plan(driver, 100, Duration.ofSeconds(1)), publisher, WARM_UP.localOnly());

        assertThat(driver.preparedAtNanos).isNull();
        assertThat(publisher.rehearsed).hasValue(2_000);
        assertThat(notes).anyMatch(line -> line.contains("(2,000 calls to a local stand-in)"));
    }

    /**
     * The synthetic driver answers at once, so it has no start-up cost of its own; this one adds
     * what a real run pays at its start (classes loaded, code compiled, connections opened): its
     * first 300 calls hold the generator's thread for 2 ms each, 0.6 s in all. Its latencies are
     * the synthetic ones, so the truth is known: every window has the same distribution, and any
     * difference in the corrected latency (from the intended send time) is the generator's own.
     */
    @Test
    void shouldMeasureTheFirstSecondAsTheSteadyOnesWhenStartingCold() {
        ColdDriver driver = new ColdDriver(300, Duration.ofMillis(2).toNanos());
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        run(plan(driver, 1_000, Duration.ofSeconds(5)), publisher);

        List<Histogram> seconds = correctedLatencyBySecond(publisher.events);
        Histogram steady = new Histogram(3);
        seconds.subList(1, seconds.size()).forEach(steady::add);
        assertThat(seconds.get(0).getValueAtPercentile(99))
                .isLessThanOrEqualTo((long) (1.5 * steady.getValueAtPercentile(99)));
        assertThat(seconds.get(0).getValueAtPercentile(50))
                .isLessThanOrEqualTo((long) (1.5 * steady.getValueAtPercentile(50)));
    }

    @Test
    void shouldShowTheColdStartInTheFirstSecondWithoutReadiness() {
        ColdDriver driver = new ColdDriver(300, Duration.ofMillis(2).toNanos());
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        run(plan(driver, 1_000, Duration.ofSeconds(5)), publisher, WarmUp.NONE);

        List<Histogram> seconds = correctedLatencyBySecond(publisher.events);
        Histogram steady = new Histogram(3);
        seconds.subList(1, seconds.size()).forEach(steady::add);
        // the check above would fail without getting ready: it is not blind to a cold start
        assertThat(seconds.get(0).getValueAtPercentile(99))
                .isGreaterThan((long) (1.5 * steady.getValueAtPercentile(99)));
    }

    /** Corrected latency (microseconds) of the events by second of their intended send time. */
    private static List<Histogram> correctedLatencyBySecond(List<RequestTiming> events) {
        long start = events.get(0).getIntendedSendTimeUs();
        List<Histogram> seconds = new ArrayList<>();
        for (RequestTiming e : events) {
            int second = (int) ((e.getIntendedSendTimeUs() - start) / 1_000_000);
            while (seconds.size() <= second) {
                seconds.add(new Histogram(3));
            }
            seconds.get(second)
                    .recordValue(
                            e.getActualSendTimeUs() - e.getIntendedSendTimeUs() + e.getLatencyUs());
        }
        return seconds;
    }

    private GeneratorRun.Report run(LoadPlan plan, InMemoryPublisher publisher) {
        return new GeneratorRun(
                        plan, LoadShare.ALL, "run-1", "gen-1", publisher, Optional.empty(), clock)
                .run(() -> false, notes::add, line -> {});
    }

    private GeneratorRun.Report run(LoadPlan plan, InMemoryPublisher publisher, WarmUp warmUp) {
        return new GeneratorRun(
                        plan, LoadShare.ALL, "run-1", "gen-1", publisher, Optional.empty(), clock)
                .withReadiness(new Readiness(clock.nanos()), warmUp)
                .run(() -> false, notes::add, line -> {});
    }

    private LoadPlan plan(Driver driver, double rate, Duration duration) {
        return new LoadPlan(
                "cold",
                ExecutorSpec.constantArrivalRate(rate, duration),
                List.of("a"),
                Collections.nCopies(1, 1),
                () -> driver,
                Optional.empty(),
                "cold synthetic");
    }

    private static long intendedNanos(RequestTiming event) {
        return (event.getIntendedSendTimeUs() - ORIGIN_US) * 1_000;
    }

    private void waitUntil(long deadline) {
        nanos[0] = Math.max(nanos[0], deadline);
    }

    /** The synthetic driver with a start-up cost, on the fake clock, that notes when it is used. */
    private final class ColdDriver implements Driver {

        private final SyntheticDriver synthetic =
                new SyntheticDriver(List.of(LatencyProfile.parse("a:5ms/25ms")), 7);
        private final int coldCalls;
        private final long coldCostNanos;
        final List<Long> callNanos = new ArrayList<>();
        final List<Boolean> analyzeRunningAtCall = new ArrayList<>();
        final CountDownLatch prepared = new CountDownLatch(1);
        Runnable onSend = () -> {};
        Long preparedAtNanos;

        ColdDriver(int coldCalls, long coldCostNanos) {
            this.coldCalls = coldCalls;
            this.coldCostNanos = coldCostNanos;
        }

        @Override
        public CompletableFuture<DriverResponse> send(int endpointIndex) {
            if (callNanos.size() < coldCalls) {
                nanos[0] += coldCostNanos;
            }
            callNanos.add(nanos[0]);
            onSend.run();
            return synthetic.send(endpointIndex);
        }

        @Override
        public int prepare(Duration timeout) {
            preparedAtNanos = nanos[0];
            prepared.countDown();
            return 4;
        }

        @Override
        public void close() {}
    }

    /** A wall clock that follows the fake nanosecond clock from {@link #ORIGIN}. */
    private final class FollowingClock extends Clock {

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
            return ORIGIN.plusNanos(nanos[0]);
        }
    }
}
