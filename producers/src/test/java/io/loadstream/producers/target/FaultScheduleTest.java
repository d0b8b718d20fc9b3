package io.loadstream.producers.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.loadstream.producers.target.FaultSpec.FaultType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static final List<String> ENDPOINTS = List.of("home", "search");

    @Test
    void shouldLeaveRequestsUntouchedWithoutFaults() {
        FaultSchedule schedule = new FaultSchedule(List.of(), ENDPOINTS);

        assertThat(schedule.effectsAt("home", 12_345)).isEqualTo(FaultEffects.NONE);
    }

    @Test
    void shouldMultiplyLatencyFromSpikeStartInclusiveToEndExclusive() {
        FaultSchedule schedule =
                new FaultSchedule(List.of(spike("search", 10_000, 5_000, 8)), ENDPOINTS);

        assertThat(schedule.effectsAt("search", 9_999).latencyFactor()).isEqualTo(1);
        assertThat(schedule.effectsAt("search", 10_000).latencyFactor()).isEqualTo(8);
        assertThat(schedule.effectsAt("search", 14_999).latencyFactor()).isEqualTo(8);
        assertThat(schedule.effectsAt("search", 15_000).latencyFactor()).isEqualTo(1);
    }

    @Test
    void shouldApplyAFaultOnlyToTheEndpointItNames() {
        FaultSchedule schedule =
                new FaultSchedule(List.of(spike("search", 0, 5_000, 8)), ENDPOINTS);

        assertThat(schedule.effectsAt("home", 1_000)).isEqualTo(FaultEffects.NONE);
        assertThat(schedule.windows("home")).isEmpty();
    }

    @Test
    void shouldApplyAFaultWithoutEndpointToAll() {
        FaultSchedule schedule = new FaultSchedule(List.of(spike(null, 0, 5_000, 3)), ENDPOINTS);

        assertThat(schedule.effectsAt("home", 1_000).latencyFactor()).isEqualTo(3);
        assertThat(schedule.effectsAt("search", 1_000).latencyFactor()).isEqualTo(3);
    }

    @Test
    void shouldFailTheBurstShareWithItsStatusInsideTheBurstOnly() {
        FaultSpec burst = burst("home", 35_000, 4_000, 30, 0);
        FaultSchedule schedule = new FaultSchedule(List.of(burst), ENDPOINTS);

        FaultEffects inside = schedule.effectsAt("home", 35_000);
        assertThat(inside.failShare()).isEqualTo(0.30, within(1e-12));
        assertThat(inside.failStatus()).isEqualTo(503);
        assertThat(schedule.effectsAt("home", 39_000).failShare()).isZero();
        assertThat(schedule.effectsAt("home", 34_999).failShare()).isZero();
    }

    @Test
    void shouldKeepARegressionUntilARecovery() {
        FaultSchedule schedule =
                new FaultSchedule(
                        List.of(regression(null, 40_000, null, 30), recovery(null, 50_000)),
                        ENDPOINTS);

        assertThat(schedule.effectsAt("home", 39_999).latencyFactor()).isEqualTo(1);
        assertThat(schedule.effectsAt("home", 40_000).latencyFactor()).isEqualTo(1.3);
        assertThat(schedule.effectsAt("home", 49_999).latencyFactor()).isEqualTo(1.3);
        assertThat(schedule.effectsAt("home", 50_000).latencyFactor()).isEqualTo(1);
    }

    @Test
    void shouldKeepARegressionWithoutRecoveryForever() {
        FaultSchedule schedule =
                new FaultSchedule(List.of(regression("home", 45_000, null, 30)), ENDPOINTS);

        assertThat(schedule.effectsAt("home", Long.MAX_VALUE - 1).latencyFactor()).isEqualTo(1.3);
    }

    @Test
    void shouldEndARegressionAfterItsDurationWhenItHasOne() {
        FaultSchedule schedule =
                new FaultSchedule(List.of(regression("home", 1_000, 2_000L, 50)), ENDPOINTS);

        assertThat(schedule.effectsAt("home", 2_999).latencyFactor()).isEqualTo(1.5);
        assertThat(schedule.effectsAt("home", 3_000).latencyFactor()).isEqualTo(1);
    }

    @Test
    void shouldRecoverOnlyTheEndpointARecoveryNames() {
        FaultSchedule schedule =
                new FaultSchedule(
                        List.of(regression(null, 1_000, null, 30), recovery("home", 2_000)),
                        ENDPOINTS);

        assertThat(schedule.effectsAt("home", 2_000).latencyFactor()).isEqualTo(1);
        assertThat(schedule.effectsAt("search", 2_000).latencyFactor()).isEqualTo(1.3);
    }

    @Test
    void shouldNotEndARegressionThatStartsWithOrAfterTheRecovery() {
        FaultSchedule schedule =
                new FaultSchedule(
                        List.of(
                                recovery(null, 2_000),
                                regression("home", 2_000, null, 10),
                                regression("search", 3_000, null, 20)),
                        ENDPOINTS);

        assertThat(schedule.effectsAt("home", 5_000).latencyFactor()).isEqualTo(1.1);
        assertThat(schedule.effectsAt("search", 5_000).latencyFactor()).isEqualTo(1.2);
    }

    @Test
    void shouldMultiplyTheFactorsOfOverlappingFaults() {
        FaultSchedule schedule =
                new FaultSchedule(
                        List.of(
                                spike("home", 0, 10_000, 2),
                                spike(null, 5_000, 10_000, 3),
                                regression("home", 0, null, 50)),
                        ENDPOINTS);

        assertThat(schedule.effectsAt("home", 6_000).latencyFactor()).isEqualTo(9);
        assertThat(schedule.effectsAt("search", 6_000).latencyFactor()).isEqualTo(3);
    }

    @Test
    void shouldHoldARequestUntilTheHangEnds() {
        FaultSchedule schedule = new FaultSchedule(List.of(hang("home", 30_000, 2_000)), ENDPOINTS);

        assertThat(schedule.effectsAt("home", 29_999).held()).isFalse();
        assertThat(schedule.effectsAt("home", 30_000).holdUntilMillis()).isEqualTo(32_000);
        assertThat(schedule.effectsAt("home", 31_999).holdUntilMillis()).isEqualTo(32_000);
        assertThat(schedule.effectsAt("home", 32_000).held()).isFalse();
        assertThat(schedule.effectsAt("search", 31_000).held()).isFalse();
    }

    @Test
    void shouldHoldARequestThroughHangsThatFollowOn() {
        FaultSchedule schedule =
                new FaultSchedule(
                        List.of(
                                hang(null, 1_000, 1_000),
                                hang("home", 2_000, 500),
                                hang(null, 2_400, 600),
                                hang(null, 3_001, 1_000)),
                        ENDPOINTS);

        assertThat(schedule.effectsAt("home", 1_500).holdUntilMillis()).isEqualTo(3_000);
        assertThat(schedule.effectsAt("search", 1_500).holdUntilMillis()).isEqualTo(2_000);
    }

    @Test
    void shouldRejectAFaultOnAnUnknownEndpoint() {
        assertThatThrownBy(() -> new FaultSchedule(List.of(hang("cart", 0, 1)), ENDPOINTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cart");
    }

    static FaultSpec spike(String endpoint, long startMillis, long durationMillis, double factor) {
        return fault(FaultType.LATENCY_SPIKE, endpoint, startMillis, durationMillis, factor, 0, 0);
    }

    static FaultSpec burst(
            String endpoint, long startMillis, long durationMillis, double percent, int status) {
        return fault(
                FaultType.ERROR_BURST, endpoint, startMillis, durationMillis, 0, percent, status);
    }

    static FaultSpec hang(String endpoint, long startMillis, long durationMillis) {
        return fault(FaultType.HANG, endpoint, startMillis, durationMillis, 0, 0, 0);
    }

    static FaultSpec regression(
            String endpoint, long startMillis, Long durationMillis, double percent) {
        return fault(FaultType.REGRESSION, endpoint, startMillis, durationMillis, 0, percent, 0);
    }

    static FaultSpec recovery(String endpoint, long startMillis) {
        return fault(FaultType.RECOVERY, endpoint, startMillis, null, 0, 0, 0);
    }

    private static FaultSpec fault(
            FaultType type,
            String endpoint,
            long startMillis,
            Long durationMillis,
            double factor,
            double percent,
            int status) {
        FaultSpec fault =
                new FaultSpec(
                        type,
                        endpoint,
                        Duration.ofMillis(startMillis),
                        durationMillis == null ? null : Duration.ofMillis(durationMillis),
                        factor,
                        percent,
                        status);
        fault.validate();
        return fault;
    }
}
