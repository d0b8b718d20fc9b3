package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OpenModelExecutorTest {

    private static final long START_US = 1_700_000_000_000_000L;
    private static final TimingEvents EVENTS =
            new TimingEvents(
                    "run-1",
                    "checkout",
                    "gen-1",
                    List.of("a", "b"),
                    Map.of("region", "eu"),
                    START_US);

    /** A clock that only the waiter (and a test that wants sends to take time) moves. */
    private final long[] nanos = {5_000_000_000L};

    private final List<RequestTiming> events = Collections.synchronizedList(new ArrayList<>());
    private final List<OpenModelExecutor.Progress> reports = new ArrayList<>();

    @Test
    void shouldStartEveryRequestAtItsIntendedTimeOnAConstantSchedule() {
        InstantDriver driver = new InstantDriver();

        OpenModelExecutor.Result result =
                run(new ConstantArrivalRate(300, Duration.ofSeconds(2)), 100, driver, () -> false);

        ConstantArrivalRate schedule = new ConstantArrivalRate(300, Duration.ofSeconds(2));
        assertThat(events).hasSize(600);
        for (int i = 0; i < events.size(); i++) {
            long intendedUs = START_US + schedule.intendedOffsetNanos(i) / 1_000;
            assertThat(events.get(i).getIntendedSendTimeUs()).isEqualTo(intendedUs);
            assertThat(events.get(i).getActualSendTimeUs()).isEqualTo(intendedUs);
        }
        assertThat(driver.sendTimes)
                .containsExactlyElementsOf(
                        LongStream.range(0, 600)
                                .mapToObj(i -> 5_000_000_000L + schedule.intendedOffsetNanos(i))
                                .toList());
        assertThat(result)
                .isEqualTo(new OpenModelExecutor.Result(600, 600, 0, Duration.ofSeconds(2), false));
    }

    @Test
    void shouldStartEveryRequestAtItsIntendedTimeOnARamp() {
        RampingArrivalRate ramp =
                new RampingArrivalRate(
                        0, List.of(new RampingArrivalRate.Stage(Duration.ofSeconds(10), 100)));
        InstantDriver driver = new InstantDriver();

        run(ramp, 100, driver, () -> false);

        assertThat(events).hasSize(500);
        for (int i = 0; i < 500; i++) {
            assertThat(driver.sendTimes.get(i))
                    .isEqualTo(5_000_000_000L + ramp.intendedOffsetNanos(i));
            assertThat(events.get(i).getIntendedSendTimeUs())
                    .isEqualTo(START_US + ramp.intendedOffsetNanos(i) / 1_000);
        }
        assertThat(events.get(5).getIntendedSendTimeUs()).isEqualTo(START_US + 1_000_000);
    }

    @Test
    void shouldDropWhatIsBeyondMaxInFlightWithoutSlowingTheSchedule() throws InterruptedException {
        ControllableDriver driver = new ControllableDriver();
        OpenModelExecutor executor =
                executor(new ConstantArrivalRate(1000, Duration.ofSeconds(1)), 10, driver);

        OpenModelExecutor.Result result = executor.run(() -> false, reports::add);

        assertThat(driver.sent).hasSize(10);
        assertThat(events).hasSize(990);
        for (int i = 0; i < 990; i++) {
            RequestTiming event = events.get(i);
            long intendedUs = START_US + (i + 10) * 1_000L;
            assertThat(event.getOutcome()).isEqualTo(Outcome.DROPPED);
            assertThat(event.getIntendedSendTimeUs()).isEqualTo(intendedUs);
            assertThat(event.getActualSendTimeUs()).isEqualTo(intendedUs);
            assertThat(event.getLatencyUs()).isZero();
            assertThat(event.getError()).isEqualTo("max in flight 10 reached");
        }
        assertThat(result)
                .isEqualTo(
                        new OpenModelExecutor.Result(1_000, 10, 990, Duration.ofSeconds(1), false));
        ExecutionCounters counters = executor.counters();
        assertThat(counters.scheduled()).isEqualTo(counters.started() + counters.dropped());
        assertThat(counters.inFlight()).isEqualTo(10);
        assertThat(counters.awaitIdle(Duration.ZERO)).isFalse();

        driver.answerAll(ControllableDriver.ok(3_000_000));

        assertThat(counters.awaitIdle(Duration.ZERO)).isTrue();
        assertThat(counters.completed()).isEqualTo(counters.started()).isEqualTo(10);
        assertThat(counters.inFlight()).isZero();
        assertThat(events).hasSize(1_000);
        assertThat(events.subList(990, 1_000))
                .extracting(RequestTiming::getIntendedSendTimeUs)
                .containsExactly(
                        LongStream.range(0, 10)
                                .mapToObj(i -> START_US + i * 1_000)
                                .toArray(Long[]::new));
    }

    @Test
    void shouldStartAgainOnceAnswersFreeASlot() {
        // 10 requests/s answered 250 ms later, at most 2 in flight: every third one finds no slot
        DelayedDriver driver = new DelayedDriver(250_000_000);
        OpenModelExecutor executor =
                new OpenModelExecutor(
                        new ConstantArrivalRate(10, Duration.ofSeconds(1)),
                        2,
                        driver,
                        EndpointChooser.roundRobin(2),
                        EVENTS,
                        events::add,
                        () -> nanos[0],
                        deadline -> {
                            fakeWait(deadline);
                            driver.answerDue();
                        });

        executor.run(() -> false, reports::add);

        assertThat(events)
                .filteredOn(e -> e.getOutcome() == Outcome.DROPPED)
                .extracting(e -> (e.getIntendedSendTimeUs() - START_US) / 1_000)
                .containsExactly(200L, 500L, 800L);
        assertThat(events)
                .filteredOn(e -> e.getOutcome() == Outcome.SUCCESS)
                .extracting(e -> (e.getIntendedSendTimeUs() - START_US) / 1_000)
                .containsExactly(0L, 100L, 300L, 400L, 600L, 700L);
        ExecutionCounters counters = executor.counters();
        assertThat(counters.scheduled()).isEqualTo(10);
        assertThat(counters.started()).isEqualTo(7);
        assertThat(counters.dropped()).isEqualTo(3);
        assertThat(counters.completed()).isEqualTo(6);
        assertThat(counters.inFlight()).isEqualTo(1);
    }

    @Test
    void shouldCarryTheDriversAnswerIntoTheEvent() {
        ControllableDriver driver = new ControllableDriver();
        OpenModelExecutor executor =
                executor(new ConstantArrivalRate(2, Duration.ofSeconds(1)), 10, driver);
        executor.run(() -> false, reports::add);

        driver.sent
                .get(0)
                .future()
                .complete(
                        new DriverResponse(
                                Outcome.HTTP_ERROR, 503, 2_500_999, 120, 45, "HTTP 503"));
        driver.sent.get(1).future().completeExceptionally(new IllegalStateException("boom"));

        assertThat(events).hasSize(2);
        RequestTiming first = events.get(0);
        assertThat(first.getRunId()).isEqualTo("run-1");
        assertThat(first.getScenario()).isEqualTo("checkout");
        assertThat(first.getGeneratorId()).isEqualTo("gen-1");
        assertThat(first.getEndpoint()).isEqualTo("a");
        assertThat(first.getTags()).containsEntry("region", "eu");
        assertThat(first.getOutcome()).isEqualTo(Outcome.HTTP_ERROR);
        assertThat(first.getStatusCode()).isEqualTo(503);
        assertThat(first.getLatencyUs()).isEqualTo(2_500);
        assertThat(first.getBytesSent()).isEqualTo(120);
        assertThat(first.getBytesReceived()).isEqualTo(45);
        assertThat(first.getError()).isEqualTo("HTTP 503");
        RequestTiming second = events.get(1);
        assertThat(second.getEndpoint()).isEqualTo("b");
        assertThat(second.getOutcome()).isEqualTo(Outcome.OTHER);
        assertThat(second.getError()).isEqualTo("IllegalStateException: boom");
        assertThat(executor.counters().completed()).isEqualTo(2);
    }

    @Test
    void shouldRecordLatenessWhenSendingTakesLongerThanThePeriod() {
        // each send takes 1.5 ms at 1000 requests/s: the executor falls behind, the schedule not
        InstantDriver driver = new InstantDriver();
        driver.sendNanos = 1_500_000;

        OpenModelExecutor.Result result =
                run(new ConstantArrivalRate(1000, Duration.ofSeconds(1)), 10, driver, () -> false);

        assertThat(events).hasSize(1_000);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getIntendedSendTimeUs()).isEqualTo(START_US + i * 1_000L);
            assertThat(events.get(i).getActualSendTimeUs()).isEqualTo(START_US + i * 1_500L);
        }
        assertThat(result.elapsed()).isEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void shouldPickEndpointsByWeight() {
        OpenModelExecutor executor =
                new OpenModelExecutor(
                        new ConstantArrivalRate(8, Duration.ofSeconds(1)),
                        10,
                        new InstantDriver(),
                        EndpointChooser.weighted(List.of(3, 1)),
                        EVENTS,
                        events::add,
                        () -> nanos[0],
                        this::fakeWait);

        executor.run(() -> false, reports::add);

        assertThat(events)
                .extracting(RequestTiming::getEndpoint)
                .containsExactly("a", "a", "b", "a", "a", "a", "b", "a");
    }

    @Test
    void shouldReportTheTargetRateAndCountsOncePerSecond() {
        RampingArrivalRate ramp =
                new RampingArrivalRate(
                        0, List.of(new RampingArrivalRate.Stage(Duration.ofSeconds(4), 100)));

        run(ramp, 100, new InstantDriver(), () -> false);

        assertThat(reports)
                .extracting(OpenModelExecutor.Progress::elapsed)
                .containsExactly(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(4));
        assertThat(reports)
                .extracting(OpenModelExecutor.Progress::targetRate)
                .containsExactly(25.0, 50.0, 75.0, 0.0);
        // N(t) = 12.5 t²: requests due strictly before 1 s, 2 s, 3 s, and all 200
        assertThat(reports)
                .extracting(OpenModelExecutor.Progress::sent)
                .containsExactly(13L, 50L, 113L, 200L);
        assertThat(reports).extracting(OpenModelExecutor.Progress::dropped).containsOnly(0L);
        assertThat(reports)
                .extracting(OpenModelExecutor.Progress::total)
                .containsOnly(Duration.ofSeconds(4));
    }

    @Test
    void shouldStopWhenAsked() {
        OpenModelExecutor.Result result =
                run(
                        new ConstantArrivalRate(1000, Duration.ofSeconds(10)),
                        10,
                        new InstantDriver(),
                        () -> events.size() >= 250);

        assertThat(events).hasSize(250);
        assertThat(result.scheduled()).isEqualTo(250);
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void shouldNoticeAStopWhileWaitingForASlowSchedule() {
        // one request every 10 s: the stop comes between two of them, at a progress report
        AtomicBoolean stop = new AtomicBoolean();
        OpenModelExecutor executor =
                executor(
                        new ConstantArrivalRate(0.1, Duration.ofMinutes(1)),
                        10,
                        new InstantDriver());

        OpenModelExecutor.Result result =
                executor.run(
                        stop::get,
                        progress ->
                                stop.set(progress.elapsed().compareTo(Duration.ofSeconds(3)) >= 0));

        assertThat(result)
                .isEqualTo(new OpenModelExecutor.Result(1, 1, 0, Duration.ofSeconds(3), true));
    }

    @Test
    void shouldStopWhenInterrupted() {
        OpenModelExecutor executor =
                new OpenModelExecutor(
                        new ConstantArrivalRate(10, Duration.ofSeconds(10)),
                        10,
                        new InstantDriver(),
                        EndpointChooser.roundRobin(2),
                        EVENTS,
                        events::add,
                        () -> nanos[0],
                        deadline -> {
                            throw new InterruptedException();
                        });

        OpenModelExecutor.Result result = executor.run(() -> false, reports::add);

        assertThat(Thread.interrupted()).isTrue();
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.started()).isEqualTo(1);
    }

    private OpenModelExecutor.Result run(
            ArrivalSchedule schedule, int maxInFlight, Driver driver, BooleanSupplier stop) {
        return executor(schedule, maxInFlight, driver).run(stop, reports::add);
    }

    private OpenModelExecutor executor(ArrivalSchedule schedule, int maxInFlight, Driver driver) {
        return new OpenModelExecutor(
                schedule,
                maxInFlight,
                driver,
                EndpointChooser.roundRobin(2),
                EVENTS,
                events::add,
                () -> nanos[0],
                this::fakeWait);
    }

    private void fakeWait(long deadlineNanos) {
        nanos[0] = Math.max(nanos[0], deadlineNanos);
    }

    /** Answers each request {@code latencyNanos} of fake time after it was sent. */
    private final class DelayedDriver implements Driver {
        private final long latencyNanos;
        private final List<long[]> due = new ArrayList<>();
        private final List<CompletableFuture<DriverResponse>> futures = new ArrayList<>();

        DelayedDriver(long latencyNanos) {
            this.latencyNanos = latencyNanos;
        }

        @Override
        public CompletableFuture<DriverResponse> send(int endpointIndex) {
            CompletableFuture<DriverResponse> future = new CompletableFuture<>();
            due.add(new long[] {nanos[0] + latencyNanos});
            futures.add(future);
            return future;
        }

        void answerDue() {
            for (int i = 0; i < futures.size(); i++) {
                if (due.get(i)[0] <= nanos[0]) {
                    futures.get(i).complete(ControllableDriver.ok(latencyNanos));
                }
            }
        }

        @Override
        public void close() {}
    }

    /** Answers at once with a 1 ms success, recording the clock at each send. */
    private final class InstantDriver implements Driver {
        final List<Long> sendTimes = new ArrayList<>();
        long sendNanos;

        @Override
        public CompletableFuture<DriverResponse> send(int endpointIndex) {
            sendTimes.add(nanos[0]);
            nanos[0] += sendNanos;
            return CompletableFuture.completedFuture(ControllableDriver.ok(1_000_000));
        }

        @Override
        public void close() {}
    }
}
