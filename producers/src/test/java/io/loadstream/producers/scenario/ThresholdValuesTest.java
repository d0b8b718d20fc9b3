package io.loadstream.producers.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.schemas.rules.RuleMetric;
import org.junit.jupiter.api.Test;

class ThresholdValuesTest {

    @Test
    void shouldWriteEveryLatencyInMicrosecondsTheEndToEndLatencyToo() {
        // analyze judges e2e_latency in microseconds, as it does p99
        assertThat(ThresholdValues.parse(RuleMetric.E2E_LATENCY, "250ms")).isEqualTo(250_000.0);
        assertThat(ThresholdValues.parse(RuleMetric.P99, "250ms")).isEqualTo(250_000.0);
        assertThat(ThresholdValues.format(RuleMetric.E2E_LATENCY, 250_000.0))
                .isEqualTo(ThresholdValues.format(RuleMetric.P99, 250_000.0));
    }

    @Test
    void shouldWriteSilenceInMillisecondsAndShares() {
        assertThat(ThresholdValues.parse(RuleMetric.NO_DATA, "30s")).isEqualTo(30_000.0);
        assertThat(ThresholdValues.parse(RuleMetric.ERROR_RATE, "1%")).isEqualTo(0.01);
    }
}
