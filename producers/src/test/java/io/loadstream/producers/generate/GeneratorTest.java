package io.loadstream.producers.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    private static final long START_US = 1_700_000_000_000_000L;

    /** A clock that only the waiter (and the sink, when a test wants lag) moves. */
    private final long[] nanos = {42_000_000_000L};

    private final List<RequestTiming> events = new ArrayList<>();
    private final List<Generator.Progress> reports = new ArrayList<>();

    @Test
    void shouldMakeRateTimesDurationRequestsAtExactIntendedTimes() {
        Generator.Result result = run(settings("a,b", 1000, Duration.ofSeconds(2)), () -> false);

        assertThat(events).hasSize(2_000);
        for (int i = 0; i < events.size(); i++) {
            RequestTiming event = events.get(i);
            assertThat(event.getIntendedSendTimeUs()).isEqualTo(START_US + i * 1_000L);
            assertThat(event.getActualSendTimeUs()).isEqualTo(event.getIntendedSendTimeUs());
        }
        assertThat(result).isEqualTo(new Generator.Result(2_000, Duration.ofSeconds(2), false));
    }

    @Test
    void shouldScheduleFractionalPeriodsWithoutDrift() {
        run(settings("a", 3, Duration.ofSeconds(100)), () -> false);

        ConstantArrivalSchedule schedule = new ConstantArrivalSchedule(3);
        assertThat(events).hasSize(300);
        assertThat(events.get(1).getIntendedSendTimeUs()).isEqualTo(START_US + 333_333);
        assertThat(events.get(2).getIntendedSendTimeUs()).isEqualTo(START_US + 666_666);
        assertThat(events.get(299).getIntendedSendTimeUs()).isEqualTo(START_US + 99_666_666);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getIntendedSendTimeUs())
                    .isEqualTo(START_US + schedule.intendedOffsetNanos(i) / 1_000);
        }
    }

    @Test
    void shouldKeepTheScheduleAndRecordLatenessWhenSendingIsSlow() {
        // each send takes 1.5 ms at 1000 requests/s: the generator falls behind
        TimingSink slowSink =
                timing -> {
                    events.add(timing);
                    nanos[0] += 1_500_000;
                };
        Generator generator =
                new Generator(
                        settings("a", 1000, Duration.ofSeconds(1)),
                        driver("a"),
                        slowSink,
                        () -> nanos[0],
                        START_US,
                        this::fakeWait);

        Generator.Result result = generator.run(() -> false, reports::add);

        assertThat(events).hasSize(1_000);
        for (int i = 0; i < events.size(); i++) {
            RequestTiming event = events.get(i);
            assertThat(event.getIntendedSendTimeUs()).isEqualTo(START_US + i * 1_000L);
            assertThat(event.getActualSendTimeUs())
                    .isEqualTo(START_US + i * 1_500L)
                    .isGreaterThanOrEqualTo(event.getIntendedSendTimeUs());
        }
        assertThat(result.elapsed()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(result.stoppedEarly()).isFalse();
    }

    @Test
    void shouldCallEndpointsRoundRobin() {
        run(settings("a,b,c", 7, Duration.ofSeconds(1)), () -> false);

        assertThat(events)
                .extracting(RequestTiming::getEndpoint)
                .containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void shouldFillEveryFieldOfTheEvent() {
        run(settings("a", 10, Duration.ofSeconds(1)), () -> false);

        assertThat(events)
                .allSatisfy(
                        event -> {
                            assertThat(event.getRunId()).isEqualTo("run-1");
                            assertThat(event.getScenario()).isEqualTo("synthetic");
                            assertThat(event.getGeneratorId()).isEqualTo("gen-1");
                            assertThat(event.getOutcome()).isEqualTo(Outcome.SUCCESS);
                            assertThat(event.getStatusCode()).isEqualTo(200);
                            assertThat(event.getLatencyUs()).isPositive();
                            assertThat(event.getBytesSent()).isZero();
                            assertThat(event.getBytesReceived()).isZero();
                            assertThat(event.getError()).isNull();
                            assertThat(event.getTags()).isEmpty();
                        });
    }

    @Test
    void shouldStopEarlyWhenStopIsRequested() {
        Generator.Result result =
                run(settings("a", 1000, Duration.ofSeconds(10)), () -> events.size() >= 500);

        assertThat(events).hasSize(500);
        assertThat(result.sent()).isEqualTo(500);
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void shouldNoticeAStopWhileWaitingForASlowSchedule() {
        AtomicBoolean stop = new AtomicBoolean();
        Generator generator =
                new Generator(
                        settings("a", 0.1, Duration.ofMinutes(1)),
                        driver("a"),
                        events::add,
                        () -> nanos[0],
                        START_US,
                        this::fakeWait);

        Generator.Result result =
                generator.run(
                        stop::get,
                        progress -> {
                            reports.add(progress);
                            stop.set(progress.elapsed().compareTo(Duration.ofSeconds(3)) >= 0);
                        });

        assertThat(result).isEqualTo(new Generator.Result(1, Duration.ofSeconds(3), true));
    }

    @Test
    void shouldStopWhenInterrupted() {
        Generator generator =
                new Generator(
                        settings("a", 10, Duration.ofSeconds(10)),
                        driver("a"),
                        events::add,
                        () -> nanos[0],
                        START_US,
                        deadline -> {
                            throw new InterruptedException();
                        });

        Generator.Result result = generator.run(() -> false, reports::add);

        assertThat(Thread.interrupted()).isTrue();
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.sent()).isEqualTo(1);
    }

    @Test
    void shouldReportProgressOncePerSecondAndAtTheEnd() {
        run(settings("a", 10, Duration.ofSeconds(5)), () -> false);

        assertThat(reports)
                .extracting(Generator.Progress::elapsed)
                .containsExactly(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(5));
        assertThat(reports)
                .extracting(Generator.Progress::sent)
                .containsExactly(10L, 20L, 30L, 40L, 50L);
        assertThat(reports)
                .extracting(Generator.Progress::total)
                .containsOnly(Duration.ofSeconds(5));
    }

    @Test
    void shouldRejectADriverForOtherEndpoints() {
        assertThatThrownBy(
                        () ->
                                new Generator(
                                        settings("a,b", 10, Duration.ofSeconds(1)),
                                        driver("a"),
                                        events::add,
                                        () -> nanos[0],
                                        START_US))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("driver's endpoints");
    }

    private Generator.Result run(
            GeneratorSettings settings, java.util.function.BooleanSupplier stop) {
        Generator generator =
                new Generator(
                        settings,
                        new SyntheticDriver(settings.endpoints(), settings.seed()),
                        events::add,
                        () -> nanos[0],
                        START_US,
                        this::fakeWait);
        return generator.run(stop, reports::add);
    }

    private void fakeWait(long deadlineNanos) {
        nanos[0] = Math.max(nanos[0], deadlineNanos);
    }

    private static GeneratorSettings settings(String endpoints, double rate, Duration duration) {
        return new GeneratorSettings(
                "run-1",
                "synthetic",
                "gen-1",
                LatencyProfile.parseList(endpoints),
                rate,
                duration,
                11);
    }

    private static SyntheticDriver driver(String endpoints) {
        return new SyntheticDriver(LatencyProfile.parseList(endpoints), 11);
    }
}
