package io.loadstream.analytics.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.schemas.histogram.Histograms;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartialCheckTest {

    private static final long NOW_US = 1_700_000_000_000_000L;
    private static final long FIVE_MINUTES_US = 300_000_000L;

    private final PartialCheck check = new PartialCheck(() -> NOW_US);

    /** Three requests: two successes (latencies 1 ms and 2 ms) and one dropped. */
    private static IntervalHistogram.Builder valid() {
        return IntervalHistogram.newBuilder()
                .setRunId("run-1")
                .setScenario("checkout")
                .setEndpoint("GET /cart")
                .setGeneratorId("gen-1")
                .setIntervalStartUs(NOW_US - 2_000_000)
                .setIntervalEndUs(NOW_US - 1_000_000)
                .setCount(3)
                .setOutcomeCounts(Map.of("SUCCESS", 2L, "DROPPED", 1L))
                .setHistogram(histogram(1_000, 2_000))
                .setUncorrectedHistogram(histogram(900, 1_900));
    }

    private static ByteBuffer histogram(long... valuesUs) {
        Histogram histogram = Histograms.create();
        for (long value : valuesUs) {
            histogram.recordValue(value);
        }
        return Histograms.encode(histogram);
    }

    @Test
    void shouldPassValidPartial() {
        assertThat(check.check(valid().build())).isEmpty();
    }

    @Test
    void shouldPassEmptyPartialWithoutOutcomeCounts() {
        IntervalHistogram empty =
                valid().setCount(0)
                        .setOutcomeCounts(Map.of())
                        .setHistogram(histogram())
                        .setUncorrectedHistogram(histogram())
                        .build();

        assertThat(check.check(empty)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"runId", "scenario", "endpoint", "generatorId"})
    void shouldRefuseIdFieldHoldingAControlCharacter(String field) {
        IntervalHistogram.Builder partial = valid();
        switch (field) {
            case "runId" -> partial.setRunId("run\0x");
            case "scenario" -> partial.setScenario("run\0x");
            case "endpoint" -> partial.setEndpoint("run\0x");
            default -> partial.setGeneratorId("run\0x");
        }

        assertThat(check.check(partial.build()))
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
        IntervalHistogram.Builder partial = valid();
        switch (field) {
            case "runId" -> partial.setRunId("");
            case "scenario" -> partial.setScenario("");
            case "endpoint" -> partial.setEndpoint("");
            default -> partial.setGeneratorId("");
        }

        assertThat(check.check(partial.build()))
                .contains(new Violation(DeadLetterReason.MISSING_FIELD, field + " is empty"));
    }

    @Test
    void shouldRefuseUnsetIntervalStart() {
        assertThat(check.check(valid().setIntervalStartUs(0).build()))
                .contains(
                        new Violation(
                                DeadLetterReason.MISSING_FIELD, "intervalStartUs is not set: 0"));
    }

    @Test
    void shouldRefuseNegativeCount() {
        assertThat(check.check(valid().setCount(-1).setOutcomeCounts(Map.of()).build()))
                .contains(new Violation(DeadLetterReason.INVALID_PARTIAL, "count is -1"));
    }

    @Test
    void shouldRefuseIntervalThatDoesNotEndAfterItStarts() {
        IntervalHistogram partial = valid().build();
        IntervalHistogram empty = valid().setIntervalEndUs(partial.getIntervalStartUs()).build();

        assertThat(check.check(empty))
                .hasValueSatisfying(
                        v -> {
                            assertThat(v.reason()).isEqualTo(DeadLetterReason.INVALID_PARTIAL);
                            assertThat(v.detail()).startsWith("intervalEndUs is ");
                        });
    }

    @Test
    void shouldRefuseOutcomeCountsThatDoNotAddUpToCount() {
        IntervalHistogram tooFew = valid().setOutcomeCounts(Map.of("SUCCESS", 2L)).build();
        IntervalHistogram negative =
                valid().setOutcomeCounts(Map.of("SUCCESS", 4L, "DROPPED", -1L)).build();

        assertThat(check.check(tooFew))
                .contains(
                        new Violation(
                                DeadLetterReason.INVALID_PARTIAL,
                                "outcomeCounts add up to 2, not to count 3"));
        assertThat(check.check(negative))
                .contains(
                        new Violation(
                                DeadLetterReason.INVALID_PARTIAL, "outcomeCounts[DROPPED] is -1"));
    }

    @Test
    void shouldRefuseHistogramBytesThatDoNotDecode() {
        IntervalHistogram garbage =
                valid().setHistogram(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}))
                        .build();
        IntervalHistogram garbageUncorrected =
                valid().setUncorrectedHistogram(ByteBuffer.wrap(new byte[0])).build();

        assertThat(check.check(garbage))
                .hasValueSatisfying(
                        v -> {
                            assertThat(v.reason()).isEqualTo(DeadLetterReason.INVALID_PARTIAL);
                            assertThat(v.detail()).startsWith("histogram does not decode");
                        });
        assertThat(check.check(garbageUncorrected))
                .hasValueSatisfying(
                        v -> {
                            assertThat(v.reason()).isEqualTo(DeadLetterReason.INVALID_PARTIAL);
                            assertThat(v.detail())
                                    .startsWith("uncorrectedHistogram does not decode");
                        });
    }

    @Test
    void shouldRefuseHistogramHoldingMoreValuesThanCount() {
        IntervalHistogram partial = valid().setHistogram(histogram(1, 2, 3, 4)).build();

        assertThat(check.check(partial))
                .contains(
                        new Violation(
                                DeadLetterReason.INVALID_PARTIAL,
                                "histogram holds 4 values, more than count 3"));
    }

    @Test
    void shouldRefuseHistogramValueAboveTheTrackableRange() {
        IntervalHistogram atLimit =
                valid().setHistogram(histogram(Histograms.HIGHEST_TRACKABLE_US, 5)).build();
        IntervalHistogram above =
                valid().setHistogram(histogram(2 * Histograms.HIGHEST_TRACKABLE_US, 5)).build();

        assertThat(check.check(atLimit)).isEmpty();
        assertThat(check.check(above))
                .map(Violation::reason)
                .contains(DeadLetterReason.LATENCY_OUT_OF_RANGE);
    }

    @Test
    void shouldRefuseIntervalStartTooFarAheadOfTheClock() {
        IntervalHistogram atLimit =
                valid().setIntervalStartUs(NOW_US + FIVE_MINUTES_US)
                        .setIntervalEndUs(NOW_US + FIVE_MINUTES_US + 1_000_000)
                        .build();
        IntervalHistogram ahead =
                valid().setIntervalStartUs(NOW_US + FIVE_MINUTES_US + 1)
                        .setIntervalEndUs(NOW_US + FIVE_MINUTES_US + 1_000_000)
                        .build();

        assertThat(check.check(atLimit)).isEmpty();
        Optional<Violation> violation = check.check(ahead);
        assertThat(violation).map(Violation::reason).contains(DeadLetterReason.FUTURE_SEND_TIME);
        assertThat(violation.get().detail())
                .startsWith("intervalStartUs is " + (NOW_US + FIVE_MINUTES_US + 1));
    }

    @Test
    void shouldUseTheConfiguredMaxFuture() {
        PartialCheck strict = new PartialCheck(() -> NOW_US, Duration.ofSeconds(1));
        IntervalHistogram twoSecondsAhead =
                valid().setIntervalStartUs(NOW_US + 2_000_000)
                        .setIntervalEndUs(NOW_US + 3_000_000)
                        .build();

        assertThat(strict.check(twoSecondsAhead))
                .map(Violation::reason)
                .contains(DeadLetterReason.FUTURE_SEND_TIME);
        assertThat(check.check(twoSecondsAhead)).isEmpty();
    }
}
