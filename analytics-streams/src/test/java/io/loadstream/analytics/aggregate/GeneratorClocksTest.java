package io.loadstream.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorClocksTest {

    private static final long GRACE_MS = 2_000;
    private static final long IDLE_MS = 60_000;
    private static final AggregateKeys.Generator ON_TIME =
            new AggregateKeys.Generator("run", "on-time");
    private static final AggregateKeys.Generator AHEAD =
            new AggregateKeys.Generator("run", "ahead");

    private final Map<String, Long> marks = new HashMap<>();
    private final GeneratorClocks clocks =
            new GeneratorClocks(
                    GRACE_MS,
                    IDLE_MS,
                    (name, value) -> {
                        if (value == null) {
                            marks.remove(name);
                        } else {
                            marks.put(name, value);
                        }
                    });

    @Test
    void shouldCloseAWindowByItsOwnGeneratorsTimeOnly() {
        clocks.advance(ON_TIME, 10_000, 0);
        clocks.advance(AHEAD, 15_000, 0);

        // window [9 s, 10 s) of on-time is open until on-time reaches 12 s
        assertThat(clocks.isClosed(ON_TIME, 10_000)).isFalse();
        assertThat(clocks.isClosed(AHEAD, 10_000)).isTrue();
        clocks.advance(ON_TIME, 12_000, 0);
        assertThat(clocks.isClosed(ON_TIME, 10_000)).isTrue();
    }

    @Test
    void shouldReportTheSlowestGeneratorsProgress() {
        clocks.advance(ON_TIME, 10_000, 0);
        clocks.advance(AHEAD, 15_000, 0);

        assertThat(clocks.completeBeforeMs()).isEqualTo(10_000 - GRACE_MS);
    }

    @Test
    void shouldStopHoldingTheProgressForAGeneratorSilentForTheIdleTimeout() {
        clocks.advance(ON_TIME, 10_000, 0);
        clocks.advance(AHEAD, 15_000, 5_000);

        clocks.expire(IDLE_MS - 1);
        assertThat(clocks.completeBeforeMs()).isEqualTo(8_000);
        clocks.expire(IDLE_MS);
        assertThat(clocks.completeBeforeMs()).isEqualTo(13_000);
        assertThat(marks).hasSize(1);
    }

    @Test
    void shouldCountALateEventAsHearingFromItsGenerator() {
        clocks.advance(ON_TIME, 10_000, 0);
        clocks.heard(ON_TIME, 50_000);

        clocks.expire(IDLE_MS);
        assertThat(clocks.timeMs(ON_TIME)).isEqualTo(10_000);
    }

    @Test
    void shouldComeBackFromItsMarksWithAFreshIdleTimeout() {
        clocks.advance(ON_TIME, 10_000, 0);
        clocks.advance(AHEAD, 15_000, 0);
        GeneratorClocks restarted = new GeneratorClocks(GRACE_MS, IDLE_MS, (name, value) -> {});

        restarted.restore(Map.copyOf(marks), 100_000);

        assertThat(restarted.timeMs(ON_TIME)).isEqualTo(10_000);
        assertThat(restarted.timeMs(AHEAD)).isEqualTo(15_000);
        restarted.expire(100_000 + IDLE_MS - 1);
        assertThat(restarted.size()).isEqualTo(2);
        restarted.expire(100_000 + IDLE_MS);
        assertThat(restarted.size()).isZero();
    }
}
