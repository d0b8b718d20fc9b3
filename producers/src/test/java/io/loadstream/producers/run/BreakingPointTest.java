package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.producers.scenario.StopCondition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakingPointTest {

    private final StopCondition limits = new StopCondition(0.05, Duration.ofSeconds(1), null);

    @Test
    void shouldHoldWhileBothLimitsHold() {
        assertThat(
                        BreakingPoint.check(
                                limits, 0.05, 1_000_000, "800 req/s", Duration.ofSeconds(40)))
                .isEmpty();
    }

    @Test
    void shouldReportTheRateAtWhichTheErrorRatePassedItsLimit() {
        assertThat(BreakingPoint.check(limits, 0.08, 20_000, "1200 req/s", Duration.ofSeconds(95)))
                .hasValue("at 1200 req/s after 95s: error rate 8.00% passed 5.00%");
    }

    @Test
    void shouldReportTheRateAtWhichP99PassedItsLimit() {
        assertThat(
                        BreakingPoint.check(
                                limits, 0.0, 1_500_000, "1500 req/s", Duration.ofSeconds(120)))
                .hasValue("at 1500 req/s after 120s: p99 1500.0 ms passed 1000 ms");
    }
}
