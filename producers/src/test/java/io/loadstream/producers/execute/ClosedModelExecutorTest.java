package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ClosedModelExecutorTest {

    private static final long START_US = 1_700_000_000_000_000L;
    private static final long T0 = 7_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final TimingEvents EVENTS =
            new TimingEvents("run-1", "browse", "gen-1", List.of("a"), Map.of(), START_US);

    private final ManualScheduler scheduler = new ManualScheduler(T0);
    private final List<RequestTiming> events = new ArrayList<>();
    private final List<ClosedModelExecutor.Progress> reports = new ArrayList<>();

    @Test
    void shouldLoopEachUserRequestAfterRequest() throws Exception {
        ClosedModelExecutor executor =
                executor(
                        VirtualUserSchedule.constant(3, Duration.ofSeconds(1)), Duration.ZERO, 100);

        CompletableFuture<ClosedModelExecutor.Result> result =
                executor.start(() -> false, reports::add);
        scheduler.runUntil(T0 + 5_000 * MS);

        assertThat(result).isDone();
        assertThat(result.get())
                .isEqualTo(new ClosedModelExecutor.Result(30, Duration.ofSeconds(1), false));
        assertThat(events).hasSize(30);
        assertThat(events)
                .allSatisfy(
                        e -> {
                            assertThat(e.getActualSendTimeUs())
                                    .isEqualTo(e.getIntendedSendTimeUs());
                            assertThat(e.getLatencyUs()).isEqualTo(100_000);
                            assertThat(e.getOutcome()).isEqualTo(Outcome.SUCCESS);
                        });
        assertThat(events)
                .extracting(e -> (e.getActualSendTimeUs() - START_US) / 1_000)
                .containsExactlyInAnyOrder(
                        times(3, 0, 100, 200, 300, 400, 500, 600, 700, 800, 900));
        ExecutionCounters counters = executor.counters();
        assertThat(counters.started())
                .isEqualTo(30)
                .isEqualTo(counters.completed())
                .isEqualTo(counters.scheduled());
        assertThat(counters.dropped()).isZero();
        assertThat(counters.inFlight()).isZero();
    }

    @Test
    void shouldKeepPacedIntendedTimesAndStartLateRequestsAtOnce() throws Exception {
        // a request every 100 ms intended, each answered after 250 ms: the user falls behind
        ClosedModelExecutor executor =
                executor(
                        VirtualUserSchedule.constant(1, Duration.ofSeconds(1)),
                        Duration.ofMillis(100),
                        250);

        CompletableFuture<ClosedModelExecutor.Result> result =
                executor.start(() -> false, reports::add);
        scheduler.runUntil(T0 + 5_000 * MS);

        assertThat(result.get().started()).isEqualTo(4);
        assertThat(events)
                .extracting(e -> (e.getIntendedSendTimeUs() - START_US) / 1_000)
                .containsExactly(0L, 100L, 200L, 300L);
        assertThat(events)
                .extracting(e -> (e.getActualSendTimeUs() - START_US) / 1_000)
                .containsExactly(0L, 250L, 500L, 750L);
        // corrected latency, from the intended start: 250, 400, 550, 700 ms
        assertThat(events)
                .extracting(
                        e ->
                                (e.getActualSendTimeUs()
                                                + e.getLatencyUs()
                                                - e.getIntendedSendTimeUs())
                                        / 1_000)
                .containsExactly(250L, 400L, 550L, 700L);
    }

    @Test
    void shouldWaitForThePacedStartWhenEarly() throws Exception {
        ClosedModelExecutor executor =
                executor(
                        VirtualUserSchedule.constant(2, Duration.ofSeconds(1)),
                        Duration.ofMillis(250),
                        100);

        CompletableFuture<ClosedModelExecutor.Result> result =
                executor.start(() -> false, reports::add);
        scheduler.runUntil(T0 + 5_000 * MS);

        assertThat(result.get())
                .isEqualTo(new ClosedModelExecutor.Result(8, Duration.ofSeconds(1), false));
        assertThat(events)
                .allSatisfy(
                        e ->
                                assertThat(e.getActualSendTimeUs())
                                        .isEqualTo(e.getIntendedSendTimeUs()));
        assertThat(events)
                .extracting(e -> (e.getActualSendTimeUs() - START_US) / 1_000)
                .containsExactlyInAnyOrder(times(2, 0, 250, 500, 750));
    }

    @Test
    void shouldRampUsersUpAndDownStepByStep() throws Exception {
        VirtualUserSchedule ramp =
                VirtualUserSchedule.ramping(
                        0,
                        List.of(
                                new VirtualUserSchedule.Stage(Duration.ofSeconds(4), 4),
                                new VirtualUserSchedule.Stage(Duration.ofSeconds(4), 0)));
        ClosedModelExecutor executor = executor(ramp, Duration.ZERO, 100);

        CompletableFuture<ClosedModelExecutor.Result> result =
                executor.start(() -> false, reports::add);
        scheduler.runUntil(T0 + 20_000 * MS);

        // users 0, 1, 2, 3, 4, 3, 2, 1 in successive seconds, 10 requests a second each
        long[] perSecond = new long[8];
        events.forEach(e -> perSecond[(int) ((e.getActualSendTimeUs() - START_US) / 1_000_000)]++);
        assertThat(perSecond).containsExactly(0, 10, 20, 30, 40, 30, 20, 10);
        assertThat(result.get().started()).isEqualTo(160);
        assertThat(reports)
                .extracting(ClosedModelExecutor.Progress::targetUsers)
                .containsExactly(1, 2, 3, 4, 3, 2, 1, 0);
        assertThat(reports.get(reports.size() - 1).elapsed()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void shouldStopAfterTheCurrentRequestsWhenAsked() throws Exception {
        ClosedModelExecutor executor =
                executor(
                        VirtualUserSchedule.constant(3, Duration.ofSeconds(10)),
                        Duration.ZERO,
                        100);
        BooleanSupplier stop = () -> events.size() >= 7;

        CompletableFuture<ClosedModelExecutor.Result> result = executor.start(stop, reports::add);
        scheduler.runUntil(T0 + 20_000 * MS);

        ClosedModelExecutor.Result finished = result.get();
        assertThat(finished.stoppedEarly()).isTrue();
        assertThat(finished.elapsed()).isEqualTo(Duration.ofMillis(300));
        assertThat(finished.started()).isEqualTo(9);
        assertThat(executor.counters().completed()).isEqualTo(9);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void shouldRetireAWaitingUserAtOnceWhenTheTargetDrops() throws Exception {
        // two users paced at 1 s answered in 10 ms; the second one goes at 0.5 s
        VirtualUserSchedule schedule =
                VirtualUserSchedule.ramping(
                        2,
                        List.of(
                                new VirtualUserSchedule.Stage(Duration.ofMillis(500), 2),
                                new VirtualUserSchedule.Stage(Duration.ZERO, 1),
                                new VirtualUserSchedule.Stage(Duration.ofMillis(2_500), 1)));
        ClosedModelExecutor executor = executor(schedule, Duration.ofSeconds(1), 10);

        CompletableFuture<ClosedModelExecutor.Result> result =
                executor.start(() -> false, reports::add);
        scheduler.runUntil(T0 + 600 * MS);
        List<ClosedModelExecutor.Progress> soFar = new ArrayList<>(reports);
        scheduler.runUntil(T0 + 10_000 * MS);

        assertThat(soFar).isEmpty();
        // the first user at 0, 1 and 2 s; the second only at 0
        assertThat(result.get().started()).isEqualTo(4);
        assertThat(reports.get(0).activeUsers()).isEqualTo(1);
    }

    private ClosedModelExecutor executor(
            VirtualUserSchedule users, Duration pacing, long latencyMs) {
        return new ClosedModelExecutor(
                users,
                pacing,
                new ScheduledDriver(latencyMs * MS),
                EndpointChooser.roundRobin(1),
                EVENTS,
                events::add,
                scheduler);
    }

    private static Long[] times(int users, long... millis) {
        List<Long> all = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (long m : millis) {
                all.add(m);
            }
        }
        return all.toArray(Long[]::new);
    }

    /** Answers each request {@code latencyNanos} later on the scheduler's clock. */
    private final class ScheduledDriver implements Driver {
        private final long latencyNanos;

        ScheduledDriver(long latencyNanos) {
            this.latencyNanos = latencyNanos;
        }

        @Override
        public CompletableFuture<DriverResponse> send(int endpointIndex) {
            CompletableFuture<DriverResponse> future = new CompletableFuture<>();
            scheduler.scheduleAt(
                    scheduler.nanoTime() + latencyNanos,
                    () -> future.complete(ControllableDriver.ok(latencyNanos)));
            return future;
        }

        @Override
        public void close() {}
    }
}
