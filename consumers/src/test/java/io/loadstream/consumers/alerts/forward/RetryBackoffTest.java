package io.loadstream.consumers.alerts.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    @Test
    void shouldGrowUpToTheCapAndStartAgainAfterReset() {
        RetryBackoff backoff = RetryBackoff.defaults();

        assertThat(IntStream.range(0, 9).mapToObj(i -> backoff.next().toMillis()))
                .containsExactly(
                        500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldRefuseWaitsThatDoNotGrowOrHaveNoCap() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, 2, Duration.ofSeconds(1)))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)))
                .hasMessageContaining("below the first wait");
    }
}
