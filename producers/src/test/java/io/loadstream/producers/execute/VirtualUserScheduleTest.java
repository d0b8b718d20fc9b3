package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.producers.execute.VirtualUserSchedule.Stage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualUserScheduleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldHoldAConstantNumberOfUsers() {
        VirtualUserSchedule schedule = VirtualUserSchedule.constant(8, Duration.ofSeconds(30));

        assertThat(schedule.targetAt(0)).isEqualTo(8);
        assertThat(schedule.targetAt(30 * SECOND - 1)).isEqualTo(8);
        assertThat(schedule.targetAt(30 * SECOND)).isZero();
        assertThat(schedule.nextChangeNanos(0)).isEqualTo(30 * SECOND);
        assertThat(schedule.maxUsers()).isEqualTo(8);
    }

    @Test
    void shouldStepOneUserEachTimeTheLineReachesAWholeNumber() {
        VirtualUserSchedule schedule =
                VirtualUserSchedule.ramping(
                        0,
                        List.of(
                                new Stage(Duration.ofSeconds(10), 10),
                                new Stage(Duration.ofSeconds(4), 2)));

        assertThat(schedule.targetAt(0)).isZero();
        assertThat(schedule.targetAt(SECOND - 1)).isZero();
        assertThat(schedule.targetAt(SECOND)).isEqualTo(1);
        assertThat(schedule.targetAt(9_999_999_999L)).isEqualTo(9);
        assertThat(schedule.targetAt(10 * SECOND)).isEqualTo(10);
        // 10 -> 2 over 4 s: one user fewer every half second
        assertThat(schedule.targetAt(10 * SECOND + SECOND / 2 - 1)).isEqualTo(10);
        assertThat(schedule.targetAt(10 * SECOND + SECOND / 2)).isEqualTo(9);
        assertThat(schedule.targetAt(14 * SECOND - 1)).isEqualTo(3);
        assertThat(schedule.duration()).isEqualTo(Duration.ofSeconds(14));
        assertThat(schedule.maxUsers()).isEqualTo(10);
    }

    @Test
    void shouldTellWhenTheTargetChangesNext() {
        VirtualUserSchedule schedule =
                VirtualUserSchedule.ramping(
                        1,
                        List.of(
                                new Stage(Duration.ofSeconds(3), 4),
                                new Stage(Duration.ofSeconds(5), 4)));

        assertThat(schedule.nextChangeNanos(0)).isEqualTo(SECOND);
        assertThat(schedule.nextChangeNanos(SECOND)).isEqualTo(2 * SECOND);
        assertThat(schedule.nextChangeNanos(2 * SECOND + 5)).isEqualTo(3 * SECOND);
        assertThat(schedule.nextChangeNanos(3 * SECOND)).isEqualTo(8 * SECOND);
        assertThat(schedule.nextChangeNanos(8 * SECOND)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRejectNegativeUsers() {
        assertThatThrownBy(() -> VirtualUserSchedule.constant(-1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Stage(Duration.ofSeconds(1), -2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VirtualUserSchedule.constant(1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
