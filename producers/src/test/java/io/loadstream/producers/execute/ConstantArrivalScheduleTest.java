package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConstantArrivalScheduleTest {

    @Test
    void shouldSpaceRequestsByThePeriodAtAnIntegerRate() {
        ConstantArrivalSchedule schedule = new ConstantArrivalSchedule(1000);

        assertThat(schedule.intendedOffsetNanos(0)).isZero();
        assertThat(schedule.intendedOffsetNanos(1)).isEqualTo(1_000_000);
        assertThat(schedule.intendedOffsetNanos(2)).isEqualTo(2_000_000);
        assertThat(schedule.intendedOffsetNanos(123_456)).isEqualTo(123_456_000_000L);
    }

    @Test
    void shouldRoundEachOffsetHalfUpToTheNanosecond() {
        ConstantArrivalSchedule schedule = new ConstantArrivalSchedule(3);

        assertThat(schedule.intendedOffsetNanos(0)).isZero();
        assertThat(schedule.intendedOffsetNanos(1)).isEqualTo(333_333_333);
        assertThat(schedule.intendedOffsetNanos(2)).isEqualTo(666_666_667);
        assertThat(schedule.intendedOffsetNanos(3)).isEqualTo(1_000_000_000);
        assertThat(schedule.intendedOffsetNanos(4)).isEqualTo(1_333_333_333);
    }

    @Test
    void shouldNotDriftOverMillionsOfRequests() {
        ConstantArrivalSchedule schedule = new ConstantArrivalSchedule(3);

        // summing rounded periods would be 1 ms early by now
        assertThat(schedule.intendedOffsetNanos(3_000_000)).isEqualTo(1_000_000_000_000_000L);
        assertThat(schedule.intendedOffsetNanos(3_000_001))
                .isEqualTo(1_000_000_000_000_000L + 333_333_333);
        assertThat(schedule.intendedOffsetNanos(3_000_002))
                .isEqualTo(1_000_000_000_000_000L + 666_666_667);
    }

    @Test
    void shouldKeepFractionalRatesExact() {
        assertThat(new ConstantArrivalSchedule(0.1).intendedOffsetNanos(1))
                .isEqualTo(10_000_000_000L);
        assertThat(new ConstantArrivalSchedule(2.5).intendedOffsetNanos(5))
                .isEqualTo(2_000_000_000L);
        assertThat(new ConstantArrivalSchedule(7.3).intendedOffsetNanos(73_000_000))
                .isEqualTo(10_000_000_000_000_000L);
    }

    @Test
    void shouldMatchExactArithmeticForRatesWithManyDecimals() {
        // periods whose products overflow a long take the slow exact path
        double rate = 123_456.789123;
        ConstantArrivalSchedule schedule = new ConstantArrivalSchedule(rate);

        for (long i : new long[] {1, 7, 123_456, 999_999_999, 123_456_789_122L}) {
            long expected =
                    BigDecimal.valueOf(i)
                            .multiply(BigDecimal.valueOf(1_000_000_000L))
                            .divide(BigDecimal.valueOf(rate), 0, RoundingMode.HALF_UP)
                            .longValueExact();
            assertThat(schedule.intendedOffsetNanos(i)).as("request %d", i).isEqualTo(expected);
        }
    }

    @Test
    void shouldCountRequestsWhoseOffsetIsBelowTheDuration() {
        ConstantArrivalSchedule three = new ConstantArrivalSchedule(3);

        assertThat(three.requestsWithin(Duration.ofSeconds(1))).isEqualTo(3);
        assertThat(three.requestsWithin(Duration.ofSeconds(10))).isEqualTo(30);
        assertThat(three.requestsWithin(Duration.ofNanos(333_333_333))).isEqualTo(1);
        assertThat(three.requestsWithin(Duration.ofNanos(333_333_334))).isEqualTo(2);
        assertThat(three.requestsWithin(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(three.requestsWithin(Duration.ZERO)).isZero();
        assertThat(new ConstantArrivalSchedule(1000).requestsWithin(Duration.ofMinutes(1)))
                .isEqualTo(60_000);
        assertThat(new ConstantArrivalSchedule(0.1).requestsWithin(Duration.ofSeconds(25)))
                .isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 2e9})
    void shouldRejectRatesOutOfRange(double rate) {
        assertThatThrownBy(() -> new ConstantArrivalSchedule(rate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must be above 0");
    }

    @Test
    void shouldRejectNegativeRequestIndexes() {
        assertThatThrownBy(() -> new ConstantArrivalSchedule(10).intendedOffsetNanos(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
