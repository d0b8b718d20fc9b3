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
 * The warm-up is bounded by the calls it makes, up to a time cap, not by the second its calls were
 * planned over: on a fake clock that only the warm-up's waiter moves, with a target that holds its
 * first answers back as a cold one does.
 */
class WarmUpTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final DriverResponse OK =
            new DriverResponse(Outcome.SUCCESS, 200, 1_000_000, 0, 0, null);

    private final long[] nanos = {0};
    private final List<Pending> pending = new ArrayList<>();

    @Test
    void shouldMakeAllItsCallsWhenAColdTargetFillsTheMaxInFlight() {
        // answers nothing for its first 0.5 s: 200 calls fill the max in flight by 0.1 s, and the
        // 800 that fall due until 0.5 s are dropped; the first second makes 1,200 of 2,000
        StallingDriver target = new StallingDriver(SECOND.dividedBy(2).toNanos());

        long made = warmUp(new WarmUp(2_000, SECOND, true), target);

        assertThat(made).isEqualTo(2_000);
        assertThat(target.calls).isEqualTo(2_000);
        // the 800 missing were made once the stalled ones were answered, at the same rate
        assertThat(nanos[0]).isBetween(SECOND.toNanos(), SECOND.plusMillis(500).toNanos());
        assertThat(pending).isEmpty();
    }

    @Test
    void shouldStopAtItsTimeCapWhenTheTargetNeverAnswers() {
        StallingDriver target = new StallingDriver(Long.MAX_VALUE);

        long made = warmUp(new WarmUp(2_000, SECOND, true, Duration.ofSeconds(3)), target);

        // the max in flight at once, never answered: no more calls, and no wait past the caps
        assertThat(made).isEqualTo(200);
        assertThat(nanos[0])
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos())
                .isLessThanOrEqualTo(Duration.ofSeconds(3).plus(WarmUp.ANSWER_WAIT).toNanos());
    }

    @Test
    void shouldTakeItsPlannedTimeWhenTheTargetKeepsUp() {
        StallingDriver target = new StallingDriver(0);

        long made = warmUp(new WarmUp(2_000, SECOND, true), target);

        assertThat(made).isEqualTo(2_000);
        assertThat(nanos[0]).isEqualTo(SECOND.toNanos());
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
            return answer;
        }

        @Override
        public void close() {}
    }
}
