package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.RequestTiming;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SingleThreadSchedulerTest {

    @Test
    void shouldRunTasksInDeadlineOrderAndGoOnAfterOneThrows() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (SingleThreadScheduler scheduler = new SingleThreadScheduler("test-scheduler")) {
            long now = scheduler.nanoTime();
            scheduler.scheduleAt(
                    now + 30_000_000,
                    () -> {
                        ran.add("third");
                        done.countDown();
                    });
            scheduler.scheduleAt(
                    now + 10_000_000,
                    () -> {
                        ran.add("second");
                        throw new IllegalStateException("ignored");
                    });
            scheduler.execute(() -> ran.add("first"));

            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(ran).containsExactly("first", "second", "third");
    }

    @Test
    void shouldDriveAClosedModelRunInRealTime() throws Exception {
        List<RequestTiming> events = new CopyOnWriteArrayList<>();
        TimingEvents labels =
                new TimingEvents("run", "real-time", "gen", List.of("a"), Map.of(), 0);
        try (SingleThreadScheduler scheduler = new SingleThreadScheduler("test-vus")) {
            ClosedModelExecutor executor =
                    new ClosedModelExecutor(
                            VirtualUserSchedule.constant(2, Duration.ofMillis(200)),
                            Duration.ofMillis(20),
                            new InstantDriver(),
                            EndpointChooser.roundRobin(1),
                            labels,
                            events::add,
                            scheduler);

            ClosedModelExecutor.Result result =
                    executor.start(() -> false, p -> {}).get(5, TimeUnit.SECONDS);

            assertThat(result.started()).isPositive().isEqualTo(events.size());
            assertThat(executor.counters().completed()).isEqualTo(result.started());
            assertThat(result.stoppedEarly()).isFalse();
        }
    }

    /** Answers every request at once with a 1 ms success. */
    private static final class InstantDriver implements Driver {
        @Override
        public CompletableFuture<DriverResponse> send(int endpointIndex) {
            return CompletableFuture.completedFuture(ControllableDriver.ok(1_000_000));
        }

        @Override
        public void close() {}
    }
}
