package io.loadstream.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.RunKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompletenessTest {

    private static final RunKey RUN = new RunKey("run", "scenario", "api");
    private static final RunKey OTHER = new RunKey("other", "scenario", "api");

    private final Map<String, Long> marks = new HashMap<>();
    private final Completeness completeness =
            new Completeness(
                    10_000,
                    (name, value) -> {
                        if (value == null) {
                            marks.remove(name);
                        } else {
                            marks.put(name, value);
                        }
                    });

    @Test
    void shouldHoldTheWatermarkAtTheSlowestSource() {
        completeness.heard(new PartialProgress("a", 5_000), RUN, 0);
        completeness.heard(new PartialProgress("b", 2_000), RUN, 0);
        completeness.heard(new PartialProgress("a", 9_000), RUN, 100);

        assertThat(completeness.watermark()).isEqualTo(2_000);
    }

    @Test
    void shouldNotMoveASourceBackWhenAnOlderPartialArrives() {
        completeness.heard(new PartialProgress("a", 5_000), RUN, 0);
        completeness.heard(new PartialProgress("a", 3_000), RUN, 10);

        assertThat(completeness.watermark()).isEqualTo(5_000);
    }

    @Test
    void shouldStopWaitingForASilentSourceAfterTheIdleTimeout() {
        completeness.heard(new PartialProgress("stopped", 1_000), RUN, 0);
        completeness.heard(new PartialProgress("live", 8_000), RUN, 5_000);

        assertThat(completeness.expire(9_999)).isEmpty();
        assertThat(completeness.watermark()).isEqualTo(1_000);
        completeness.expire(10_000);
        assertThat(completeness.watermark()).isEqualTo(8_000);
    }

    @Test
    void shouldReportASilentRunOnceAndCloseOnlyThatRun() {
        completeness.heard(new PartialProgress("a", 1_000), RUN, 0);
        completeness.heard(new PartialProgress("a", 1_000), OTHER, 6_000);

        assertThat(completeness.expire(10_000)).containsExactly(RUN);
        assertThat(completeness.expire(11_000)).isEmpty();
        completeness.runClosed(RUN, 60_000);

        assertThat(completeness.runClosedBefore(RUN)).isEqualTo(60_000);
        assertThat(completeness.runClosedBefore(OTHER)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldComeBackFromItsMarksWithAFreshIdleTimeout() {
        completeness.heard(new PartialProgress("a", 4_000), RUN, 0);
        completeness.runClosed(OTHER, 30_000);
        Completeness restarted = new Completeness(10_000, (name, value) -> {});

        restarted.restore(Map.copyOf(marks), List.of(RUN), 50_000);

        assertThat(restarted.watermark()).isEqualTo(4_000);
        assertThat(restarted.runClosedBefore(OTHER)).isEqualTo(30_000);
        assertThat(restarted.expire(59_999)).isEmpty();
        assertThat(restarted.expire(60_000)).containsExactly(RUN);
        assertThat(restarted.watermark()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldRetireAFinalRunAfterTheRetentionAndForgetItsMarks() {
        completeness.heard(new PartialProgress("a", 4_000), RUN, 0);
        assertThat(completeness.expire(10_000)).containsExactly(RUN);
        completeness.runClosed(RUN, 5_000);
        completeness.runFinal(RUN, 10_000);

        assertThat(completeness.retire(10_000 + 59_999, 60_000)).isEmpty();
        assertThat(completeness.retire(10_000 + 60_000, 60_000)).containsExactly(RUN);
        assertThat(completeness.retire(10_000 + 70_000, 60_000)).isEmpty();
        assertThat(completeness.runClosedBefore(RUN)).isEqualTo(Long.MIN_VALUE);
        assertThat(marks.keySet()).noneMatch(name -> name.startsWith("run-"));
    }

    @Test
    void shouldNotRetireARunThatALatePartialReopened() {
        completeness.heard(new PartialProgress("a", 4_000), RUN, 0);
        completeness.expire(10_000);
        completeness.runFinal(RUN, 10_000);

        completeness.heard(new PartialProgress("a", 4_000), RUN, 20_000);

        assertThat(completeness.isFinal(RUN)).isFalse();
        assertThat(completeness.retire(1_000_000, 60_000)).isEmpty();
        assertThat(completeness.expire(30_000)).containsExactly(RUN);
    }

    @Test
    void shouldKeepTheRetentionOfAFinalRunAcrossARestartAndExpireTheOthers() {
        completeness.heard(new PartialProgress("a", 4_000), RUN, 0);
        completeness.expire(10_000);
        completeness.runFinal(RUN, 10_000);
        Completeness restarted = new Completeness(10_000, (name, value) -> {});

        // OTHER has a total in the store but was neither open nor final: it expires and is final
        restarted.restore(Map.copyOf(marks), List.of(RUN, OTHER), 50_000);

        assertThat(restarted.isFinal(RUN)).isTrue();
        assertThat(restarted.expire(60_000)).containsExactly(OTHER);
        assertThat(restarted.retire(70_000, 60_000)).containsExactly(RUN);
    }

    @Test
    void shouldCountEndedGeneratorsAcrossARestartAndForgetThemWhenTheRunRetires() {
        completeness.heard(new PartialProgress("a", 1_000), RUN, 0);
        assertThat(completeness.generatorEnded(RUN, "g1", 2)).isFalse();

        Completeness restarted = new Completeness(10_000, marks::put);
        restarted.restore(new HashMap<>(marks), List.of(RUN), 100);

        assertThat(restarted.generatorEnded(RUN, "g1", 2)).as("the same one again").isFalse();
        assertThat(restarted.generatorEnded(RUN, "g2", 0)).isTrue();
        completeness.generatorEnded(RUN, "g2", 2);
        completeness.runFinal(RUN, 200);
        completeness.retire(200 + 3_600_000, 3_600_000);
        assertThat(marks.keySet()).allMatch(name -> name.startsWith("source:"));
    }

    @Test
    void shouldForgetASourceWhoseGeneratorsHaveAllEnded() {
        completeness.heard(new PartialProgress("ended", 1_000), RUN, 0);
        completeness.heard(new PartialProgress("live", 8_000), OTHER, 0);

        completeness.sourceEnded(new PartialProgress("ended", Long.MIN_VALUE));

        assertThat(completeness.watermark()).isEqualTo(8_000);
        assertThat(marks).doesNotContainKey("source:ended");
    }
}
