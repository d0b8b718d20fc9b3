package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConstantArrivalRateTest {

    @Test
    void shouldDueRequestIAtIOverRateExactToTheNanosecond() {
        ConstantArrivalRate schedule = new ConstantArrivalRate(3, Duration.ofSeconds(10));

        assertThat(schedule.requests()).isEqualTo(30);
        assertThat(schedule.intendedOffsetNanos(0)).isZero();
        assertThat(schedule.intendedOffsetNanos(1)).isEqualTo(333_333_333L);
        assertThat(schedule.intendedOffsetNanos(2)).isEqualTo(666_666_667L);
        assertThat(schedule.intendedOffsetNanos(3)).isEqualTo(1_000_000_000L);
        assertThat(schedule.intendedOffsetNanos(29)).isEqualTo(9_666_666_667L);
    }

    @Test
    void shouldCountOnlyRequestsDueBeforeTheEnd() {
        assertThat(new ConstantArrivalRate(1000, Duration.ofSeconds(2)).requests())
                .isEqualTo(2_000);
        assertThat(new ConstantArrivalRate(0.1, Duration.ofSeconds(25)).requests()).isEqualTo(3);
        assertThat(new ConstantArrivalRate(0.1, Duration.ofMillis(10_001)).requests()).isEqualTo(2);
    }

    @Test
    void shouldAskForItsRateOnlyWithinTheDuration() {
        ConstantArrivalRate schedule = new ConstantArrivalRate(250, Duration.ofSeconds(4));

        assertThat(schedule.rateAt(Duration.ZERO)).isEqualTo(250);
        assertThat(schedule.rateAt(Duration.ofMillis(3_999))).isEqualTo(250);
        assertThat(schedule.rateAt(Duration.ofSeconds(4))).isZero();
        assertThat(schedule.rateAt(Duration.ofMillis(-1))).isZero();
        assertThat(schedule.duration()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void shouldRejectRequestsOutsideTheSchedule() {
        ConstantArrivalRate schedule = new ConstantArrivalRate(10, Duration.ofSeconds(1));

        assertThatThrownBy(() -> schedule.intendedOffsetNanos(10))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ConstantArrivalRate(10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConstantArrivalRate(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
