package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.DriverResponse;
import io.loadstream.producers.scenario.ExecutorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The warm-up makes its calls as a closed loop, bounded by the calls and a time cap: on a fake
 * clock that only the warm-up's waiter moves, with a target that holds its first answers back as a
 * cold one does.
 */
class WarmUpTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final DriverResponse OK =
            new DriverResponse(Outcome.SUCCESS, 200, 1_000_000, 0, 0, null);

    private final long[] nanos = {0};
    private final List<Pending> pending = new ArrayList<>();

    @Test
    void shouldMakeAllItsCallsWhenAColdTargetHoldsItsFirstAnswers() {
        // answers nothing for its first 0.5 s: the first 200 calls wait, none is dropped
        StallingDriver target = new StallingDriver(SECOND.dividedBy(2).toNanos());

        long made = warmUp(new WarmUp(2_000, true), target);

        assertThat(made).isEqualTo(2_000);
        assertThat(target.calls).isEqualTo(2_000);
        assertThat(target.mostInFlight).isEqualTo(200);
        assertThat(pending).isEmpty();
        // done once the stalled calls were answered, not at a planned rate
        assertThat(nanos[0]).isBetween(SECOND.dividedBy(2).toNanos(), SECOND.toNanos());
    }

    @Test
    void shouldStopAtItsTimeCapWhenTheTargetNeverAnswers() {
        StallingDriver target = new StallingDriver(Long.MAX_VALUE);

        long made = warmUp(new WarmUp(2_000, true, Duration.ofSeconds(3)), target);

        // the max in flight at once, never answered: no more calls, and no wait past the caps
        assertThat(made).isEqualTo(200);
        assertThat(nanos[0])
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos())
                .isLessThanOrEqualTo(Duration.ofSeconds(3).plus(WarmUp.ANSWER_WAIT).toNanos());
    }

    @Test
    void shouldTakeNoTimeOfItsOwnWhenTheTargetAnswersAtOnce() {
        StallingDriver target = new StallingDriver(0);

        long made = warmUp(new WarmUp(2_000, true), target);

        assertThat(made).isEqualTo(2_000);
        assertThat(target.calls).isEqualTo(2_000);
        // the clock moves only while the warm-up waits: it did not wait for a schedule
        assertThat(nanos[0]).isLessThanOrEqualTo(Duration.ofMillis(10).toNanos());
    }

    private long warmUp(WarmUp warmUp, Driver target) {
        return warmUp.run(
                plan(target),
                target,
                200,
                new InMemoryPublisher(0),
                () -> nanos[0],
                this::waitUntil);
    }

    private static LoadPlan plan(Driver driver) {
        return new LoadPlan(
                "cold",
                ExecutorSpec.constantArrivalRate(100, SECOND),
                List.of("a"),
                Collections.nCopies(1, 1),
                () -> driver,
                Optional.empty(),
                "cold target");
    }

    /** Moves the fake clock, answering the calls held back until then. */
    private void waitUntil(long deadline) {
        nanos[0] = Math.max(nanos[0], deadline);
        List<Pending> due = pending.stream().filter(p -> p.dueNanos <= nanos[0]).toList();
        pending.removeAll(due);
        due.forEach(p -> p.answer.complete(OK));
    }

    private record Pending(long dueNanos, CompletableFuture<DriverResponse> answer) {}

    /** Answers at once from {@code stallUntilNanos} on; calls made before wait until then. */
    private final class StallingDriver implements Driver {

        private final long stallUntilNanos;
        int calls;
        int mostInFlight;

        StallingDriver(long stallUntilNanos) {
            this.stallUntilNanos = stallUntilNanos;
        }

        @Override
        public CompletableFuture<DriverResponse> send(int endpointIndex) {
            calls++;
            if (nanos[0] >= stallUntilNanos) {
                return CompletableFuture.completedFuture(OK);
            }
            CompletableFuture<DriverResponse> answer = new CompletableFuture<>();
            pending.add(new Pending(stallUntilNanos, answer));
            mostInFlight = Math.max(mostInFlight, pending.size());
            return answer;
        }

        @Override
        public void close() {}
    }
}
