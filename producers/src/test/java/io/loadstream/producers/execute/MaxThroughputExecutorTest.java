package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.avro.RequestTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MaxThroughputExecutorTest {

    private static final long START_US = 1_700_000_000_000_000L;
    private static final long START_NANOS = 5_000_000_000L;
    private static final TimingEvents EVENTS =
            new TimingEvents("run-1", "ceiling", "gen-1", List.of("a", "b"), Map.of(), START_US);

    /** A clock that only the waiter and the drivers of these tests move. */
    private final long[] nanos = {START_NANOS};

    private final List<RequestTiming> events = Collections.synchronizedList(new ArrayList<>());

    @Test
    void shouldKeepAtMostItsConnectionsInFlightAndSendOnlyAfterAnAnswer() {
        ControllableDriver driver = new ControllableDriver();
        List<Integer> sentBeforeEachAnswer = new ArrayList<>();
        List<Long> inFlightSeen = new ArrayList<>();
        MaxThroughputExecutor[] executor = new MaxThroughputExecutor[1];
        // each wait of the executor: the target answers the oldest request, then 1 ms passes
        ClockWaiter waiter =
                deadline -> {
                    inFlightSeen.add(executor[0].counters().inFlight());
                    sentBeforeEachAnswer.add(driver.sent.size());
                    driver.sent.stream()
                            .filter(s -> !s.future().isDone())
                            .findFirst()
                            .ifPresent(s -> s.future().complete(ControllableDriver.ok(700_000)));
                    nanos[0] = Math.min(deadline, nanos[0] + 1_000_000);
                };
        executor[0] = executor(3, Duration.ofMillis(50), driver, waiter);

        MaxThroughputExecutor.Result result = executor[0].run(() -> false, p -> {});

        // 3 at first, then exactly one more per answer: never a request without an answer before it
        for (int i = 0; i < sentBeforeEachAnswer.size(); i++) {
            assertThat(sentBeforeEachAnswer.get(i)).isEqualTo(3 + i);
        }
        assertThat(inFlightSeen).isNotEmpty().allMatch(n -> n == 3);
        assertThat(result.started()).isEqualTo(driver.sent.size());
        assertThat(events).hasSize(driver.sent.size() - 3);
        assertThat(executor[0].counters().inFlight()).isEqualTo(3);
        assertThat(result.stoppedEarly()).isFalse();
    }

    @Test
    void shouldSendNothingMoreOnceTheDurationIsUpAndCountEveryAnswer() {
        ControllableDriver driver = new ControllableDriver();
        ClockWaiter waiter = deadline -> nanos[0] = deadline;
        MaxThroughputExecutor executor = executor(4, Duration.ofSeconds(2), driver, waiter);

        MaxThroughputExecutor.Result result = executor.run(() -> false, p -> {});
        driver.answerAll(ControllableDriver.ok(1_000));

        assertThat(driver.sent).hasSize(4);
        assertThat(result.started()).isEqualTo(4);
        assertThat(executor.counters().inFlight()).isZero();
        assertThat(executor.counters().completed()).isEqualTo(4);
        assertThat(events).hasSize(4);
        assertThat(executor.counters().dropped()).isZero();
    }

    @Test
    void shouldLoopOverInstantAnswersWithoutGrowingTheStack() {
        // every send takes 1 µs of the clock and is answered at once: 200,000 requests per loop
        Driver instant =
                new Driver() {
                    @Override
                    public CompletableFuture<DriverResponse> send(int endpointIndex) {
                        nanos[0] += 1_000;
                        return CompletableFuture.completedFuture(ControllableDriver.ok(1_000));
                    }

                    @Override
                    public void close() {}
                };
        MaxThroughputExecutor executor =
                executor(2, Duration.ofMillis(400), instant, deadline -> nanos[0] = deadline);

        MaxThroughputExecutor.Result result = executor.run(() -> false, p -> {});

        assertThat(result.started()).isEqualTo(400_000);
        assertThat(events).hasSize(400_000);
        assertThat(executor.counters().inFlight()).isZero();
    }

    @Test
    void shouldStampTheActualSendTimeAsTheIntendedOneAndAlternateEndpoints() {
        ControllableDriver driver = new ControllableDriver();
        ClockWaiter waiter =
                deadline -> {
                    nanos[0] += 250_000;
                    driver.sent.stream()
                            .filter(s -> !s.future().isDone())
                            .findFirst()
                            .ifPresent(s -> s.future().complete(ControllableDriver.ok(250_000)));
                };
        MaxThroughputExecutor executor = executor(1, Duration.ofMillis(1), driver, waiter);

        executor.run(() -> false, p -> {});

        assertThat(events).hasSize(4);
        for (int i = 0; i < events.size(); i++) {
            RequestTiming event = events.get(i);
            assertThat(event.getIntendedSendTimeUs()).isEqualTo(START_US + 250L * i);
            assertThat(event.getActualSendTimeUs()).isEqualTo(event.getIntendedSendTimeUs());
            assertThat(event.getLatencyUs()).isEqualTo(250);
            assertThat(event.getEndpoint()).isEqualTo(i % 2 == 0 ? "a" : "b");
        }
    }

    @Test
    void shouldSendNoMoreOnceStoppedAndSayItStoppedEarly() {
        ControllableDriver driver = new ControllableDriver();
        boolean[] stop = {false};
        ClockWaiter waiter =
                deadline -> {
                    nanos[0] += 1_000_000;
                    stop[0] = true;
                };
        MaxThroughputExecutor executor = executor(2, Duration.ofSeconds(10), driver, waiter);

        MaxThroughputExecutor.Result result = executor.run(() -> stop[0], p -> {});
        driver.answerAll(ControllableDriver.ok(1_000));

        assertThat(result.stoppedEarly()).isTrue();
        assertThat(driver.sent).hasSize(2);
        assertThat(events).hasSize(2);
    }

    @Test
    void shouldRefuseFewerThanOneConnection() {
        assertThatThrownBy(
                        () -> executor(0, Duration.ofSeconds(1), new ControllableDriver(), d -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connections must be at least 1, not 0");
    }

    private MaxThroughputExecutor executor(
            int connections, Duration duration, Driver driver, ClockWaiter waiter) {
        return new MaxThroughputExecutor(
                connections,
                duration,
                driver,
                EndpointChooser.roundRobin(2),
                EVENTS,
                events::add,
                () -> nanos[0],
                waiter);
    }
}
