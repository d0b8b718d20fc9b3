package io.loadstream.analytics.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.schemas.histogram.Histograms;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimingCheckTest {

    private static final long NOW_US = 1_700_000_000_000_000L;
    private static final long FIVE_MINUTES_US = 300_000_000L;
    private static final long ONE_HOUR_US = 3_600_000_000L;

    private final TimingCheck check = new TimingCheck(() -> NOW_US);

    private static RequestTiming.Builder valid() {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("checkout")
                .setEndpoint("GET /cart")
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(NOW_US - 1_000_000)
                .setActualSendTimeUs(NOW_US - 1_000_000 + 150)
                .setLatencyUs(4_200)
                .setOutcome(Outcome.SUCCESS);
    }

    @Test
    void shouldPassValidTiming() {
        assertThat(check.check(valid().build())).isEmpty();
    }

    @Test
    void shouldPassDroppedTimingWithZeroLatencyFarBehindSchedule() {
        // a dropped request is never recorded in a histogram, so its delay does not matter
        RequestTiming dropped =
                valid().setOutcome(Outcome.DROPPED)
                        .setLatencyUs(0)
                        .setIntendedSendTimeUs(NOW_US - 2 * ONE_HOUR_US)
                        .setActualSendTimeUs(NOW_US)
                        .build();

        assertThat(check.check(dropped)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"runId", "scenario", "endpoint", "generatorId"})
    void shouldRefuseIdFieldHoldingAControlCharacter(String field) {
        RequestTiming.Builder timing = valid();
        switch (field) {
            case "runId" -> timing.setRunId("run\0x");
            case "scenario" -> timing.setScenario("run\0x");
            case "endpoint" -> timing.setEndpoint("run\0x");
            default -> timing.setGeneratorId("run\0x");
        }

        assertThat(check.check(timing.build()))
                .contains(
                        new Violation(
                                DeadLetterReason.INVALID_ID,
                                field + " holds control character U+0000 at index 3"));
    }

    @Test
    void shouldRefuseOtherControlCharactersAndPassOtherUnicode() {
        assertThat(check.check(valid().setEndpoint("GET /a\tb").build()))
                .map(Violation::reason)
                .contains(DeadLetterReason.INVALID_ID);
        assertThat(check.check(valid().setEndpoint("GET /a\u007fb").build()))
                .map(Violation::reason)
                .contains(DeadLetterReason.INVALID_ID);
        assertThat(check.check(valid().setEndpoint("GET /café/ü€").build())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"runId", "scenario", "endpoint", "generatorId"})
    void shouldRefuseEmptyIdField(String field) {
        RequestTiming.Builder timing = valid();
        switch (field) {
            case "runId" -> timing.setRunId("");
            case "scenario" -> timing.setScenario("");
            case "endpoint" -> timing.setEndpoint("");
            default -> timing.setGeneratorId("");
        }

        assertThat(check.check(timing.build()))
                .contains(new Violation(DeadLetterReason.MISSING_FIELD, field + " is empty"));
    }

    @Test
    void shouldRefuseUnsetSendTimes() {
        assertThat(check.check(valid().setIntendedSendTimeUs(0).build()))
                .contains(
                        new Violation(
                                DeadLetterReason.MISSING_FIELD,
                                "intendedSendTimeUs is not set: 0"));
        assertThat(check.check(valid().setActualSendTimeUs(-1).build()))
                .contains(
                        new Violation(
                                DeadLetterReason.MISSING_FIELD, "actualSendTimeUs is not set: -1"));
    }

    @Test
    void shouldRefuseNegativeLatency() {
        assertThat(check.check(valid().setLatencyUs(-5).build()))
                .contains(new Violation(DeadLetterReason.NEGATIVE_LATENCY, "latencyUs is -5"));
    }

    @Test
    void shouldRefuseLatencyAboveHistogramRangeButKeepTheHighestTrackable() {
        RequestTiming atLimit = valid().setLatencyUs(Histograms.HIGHEST_TRACKABLE_US).build();
        RequestTiming above = valid().setLatencyUs(Histograms.HIGHEST_TRACKABLE_US + 1).build();

        // at the limit the corrected latency is 150 us above it, so start on time here
        assertThat(check.check(withActualEqualIntended(atLimit))).isEmpty();
        assertThat(check.check(above))
                .hasValueSatisfying(
                        v -> {
                            assertThat(v.reason()).isEqualTo(DeadLetterReason.LATENCY_OUT_OF_RANGE);
                            assertThat(v.detail()).startsWith("latencyUs is 3600000001");
                        });
    }

    @Test
    void shouldRefuseCorrectedLatencyAboveHistogramRange() {
        // sent 90 minutes behind schedule: 1.5 h from the intended send time
        RequestTiming late =
                valid().setIntendedSendTimeUs(NOW_US - 2 * ONE_HOUR_US)
                        .setActualSendTimeUs(NOW_US - ONE_HOUR_US / 2)
                        .setLatencyUs(1_000_000)
                        .build();

        Optional<Violation> violation = check.check(late);

        assertThat(violation)
                .map(Violation::reason)
                .contains(DeadLetterReason.LATENCY_OUT_OF_RANGE);
        assertThat(violation.get().detail()).contains("corrected latency").contains("5401000000");
    }

    @Test
    void shouldRefuseSendTimeTooFarAheadOfTheClock() {
        RequestTiming atLimit =
                withActualEqualIntended(
                        valid().setIntendedSendTimeUs(NOW_US + FIVE_MINUTES_US).build());
        RequestTiming intendedAhead =
                withActualEqualIntended(
                        valid().setIntendedSendTimeUs(NOW_US + FIVE_MINUTES_US + 1).build());
        RequestTiming actualAhead =
                valid().setActualSendTimeUs(NOW_US + FIVE_MINUTES_US + 1).build();

        assertThat(check.check(atLimit)).isEmpty();
        assertThat(check.check(intendedAhead))
                .hasValueSatisfying(
                        v -> {
                            assertThat(v.reason()).isEqualTo(DeadLetterReason.FUTURE_SEND_TIME);
                            assertThat(v.detail())
                                    .startsWith(
                                            "intendedSendTimeUs is "
                                                    + (NOW_US + FIVE_MINUTES_US + 1));
                        });
        assertThat(check.check(actualAhead))
                .hasValueSatisfying(
                        v -> {
                            assertThat(v.reason()).isEqualTo(DeadLetterReason.FUTURE_SEND_TIME);
                            assertThat(v.detail()).startsWith("actualSendTimeUs is ");
                        });
    }

    @Test
    void shouldUseTheConfiguredMaxFutureAndTheCurrentClock() {
        long[] now = {NOW_US};
        TimingCheck strict = new TimingCheck(() -> now[0], Duration.ofSeconds(1));
        RequestTiming twoSecondsAhead =
                withActualEqualIntended(valid().setIntendedSendTimeUs(NOW_US + 2_000_000).build());

        assertThat(strict.check(twoSecondsAhead))
                .map(Violation::reason)
                .contains(DeadLetterReason.FUTURE_SEND_TIME);
        now[0] += 1_000_000;
        assertThat(strict.check(twoSecondsAhead)).isEmpty();
    }

    @Test
    void shouldReportMissingFieldBeforeOtherFaults() {
        RequestTiming twoFaults = valid().setEndpoint("").setLatencyUs(-1).build();

        assertThat(check.check(twoFaults))
                .map(Violation::reason)
                .contains(DeadLetterReason.MISSING_FIELD);
    }

    private static RequestTiming withActualEqualIntended(RequestTiming timing) {
        return RequestTiming.newBuilder(timing)
                .setActualSendTimeUs(timing.getIntendedSendTimeUs())
                .build();
    }
}
