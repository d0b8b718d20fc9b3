package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ExecutionCountersTest {

    @Test
    void shouldStartOnlyBelowTheLimit() {
        ExecutionCounters counters = new ExecutionCounters();

        assertThat(counters.tryStart(2)).isTrue();
        assertThat(counters.tryStart(2)).isTrue();
        assertThat(counters.tryStart(2)).isFalse();
        counters.recordCompleted();
        assertThat(counters.tryStart(2)).isTrue();

        assertThat(counters.started()).isEqualTo(3);
        assertThat(counters.completed()).isEqualTo(1);
        assertThat(counters.inFlight()).isEqualTo(2);
    }

    @Test
    void shouldWaitUntilTheLastRequestInFlightCompletes() throws Exception {
        ExecutionCounters counters = new ExecutionCounters();
        counters.tryStart(10);
        counters.tryStart(10);

        assertThat(counters.awaitIdle(Duration.ofMillis(1))).isFalse();
        CompletableFuture<Void> answers =
                CompletableFuture.runAsync(
                        () -> {
                            counters.recordCompleted();
                            counters.recordCompleted();
                        });

        assertThat(counters.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(counters.completed()).isEqualTo(2);
        answers.join();
    }
}
