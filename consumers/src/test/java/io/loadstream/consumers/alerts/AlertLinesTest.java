package io.loadstream.consumers.alerts;

import static io.loadstream.consumers.alerts.TestAlerts.T0;
import static io.loadstream.consumers.alerts.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import org.junit.jupiter.api.Test;

class AlertLinesTest {

    private final AlertLines lines = new AlertLines();

    @Test
    void shouldShowFiringWithValueAndThresholdInMilliseconds() {
        assertThat(
                        lines.describe(
                                alert("checkout", AlertState.FIRING, AlertLevel.CRITICAL, 2, T0)
                                        .build()))
                .contains(
                        "2025-12-03 17:46:41Z FIRING   CRITICAL rule=p99-checkout run=r1"
                                + " scenario=shop endpoint=checkout  p99 812 ms > 500 ms"
                                + "  window 17:46:40-17:46:41");
    }

    @Test
    void shouldSayWhichLevelAnAlertHadBeforeItChanged() {
        lines.describe(alert("checkout", AlertState.FIRING, AlertLevel.WARNING, 2, T0).build());

        assertThat(
                        lines.describe(
                                alert(
                                                "checkout",
                                                AlertState.FIRING,
                                                AlertLevel.CRITICAL,
                                                3,
                                                T0 + 1_000)
                                        .build()))
                .hasValueSatisfying(
                        line -> assertThat(line).contains("FIRING   CRITICAL (was WARNING) rule="));
    }

    @Test
    void shouldShowResolvedAgainstTheResolveThresholdAndHidePendingAndInactive() {
        assertThat(
                        lines.describe(
                                alert("checkout", AlertState.PENDING, AlertLevel.CRITICAL, 1, T0)
                                        .build()))
                .isEmpty();
        assertThat(
                        lines.describe(
                                alert("checkout", AlertState.INACTIVE, AlertLevel.CRITICAL, 2, T0)
                                        .build()))
                .isEmpty();
        assertThat(
                        lines.describe(
                                alert("checkout", AlertState.RESOLVED, AlertLevel.CRITICAL, 3, T0)
                                        .build()))
                .hasValueSatisfying(
                        line ->
                                assertThat(line)
                                        .contains("RESOLVED CRITICAL")
                                        .contains("p99 240 ms < 250 ms (resolve threshold)"));
    }

    @Test
    void shouldWriteErrorRatesInPercentAndRunLevelRulesAsTheRunSoFar() {
        var errors =
                alert("checkout", AlertState.FIRING, AlertLevel.WARNING, 1, T0)
                        .setMetric("error_rate")
                        .setValue(0.025)
                        .setThreshold(0.01)
                        .setResolutionMs(0)
                        .build();

        assertThat(lines.describe(errors))
                .hasValueSatisfying(
                        line -> assertThat(line).endsWith("error_rate 2.5 % > 1 %  run so far"));
        assertThat(MetricValues.format("throughput", 95.25)).isEqualTo("95.3 req/s");
        assertThat(MetricValues.format("p50", 850)).isEqualTo("0.85 ms");
    }

    @Test
    void shouldFilterByRunPatternAndLowestLevel() {
        AlertFilter critical = AlertFilter.of("r*", AlertFilter.parseLevel("Critical"));

        assertThat(critical.accepts(TestAlerts.firing("checkout", AlertLevel.CRITICAL, 1, T0)))
                .isTrue();
        assertThat(critical.accepts(TestAlerts.firing("checkout", AlertLevel.WARNING, 1, T0)))
                .isFalse();
        assertThat(
                        AlertFilter.of("other", AlertLevel.WARNING)
                                .accepts(TestAlerts.firing("checkout", AlertLevel.CRITICAL, 1, T0)))
                .isFalse();
    }
}
