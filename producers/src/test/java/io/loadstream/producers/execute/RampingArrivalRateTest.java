package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.loadstream.producers.execute.RampingArrivalRate.Stage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RampingArrivalRateTest {

    private static final MathContext PRECISION = new MathContext(60);

    @Test
    void shouldPlaceARampFromZeroBySquareRootLaw() {
        // N(t) = 5 t², so request i is due at sqrt(i / 5) s
        RampingArrivalRate schedule = new RampingArrivalRate(0, List.of(stage(10, 100)));

        assertThat(schedule.requests()).isEqualTo(500);
        for (long i = 0; i < 500; i++) {
            BigDecimal seconds =
                    BigDecimal.valueOf(i).divide(BigDecimal.valueOf(5), PRECISION).sqrt(PRECISION);
            assertThat(schedule.intendedOffsetNanos(i))
                    .as("request %d", i)
                    .isEqualTo(nanos(seconds));
        }
        assertThat(schedule.intendedOffsetNanos(5)).isEqualTo(1_000_000_000L);
        assertThat(schedule.intendedOffsetNanos(499)).isEqualTo(9_989_994_995L);
    }

    @Test
    void shouldGiveTheOffsetsOfAConstantRateOnAFlatStage() {
        for (double rate : new double[] {3, 7, 1000, 0.1, 4e8}) {
            RampingArrivalRate ramp = new RampingArrivalRate(rate, List.of(stage(10, rate)));
            ConstantArrivalRate constant = new ConstantArrivalRate(rate, Duration.ofSeconds(10));
            long checked = Math.min(constant.requests(), 10_000);

            assertThat(ramp.requests()).as("rate %s", rate).isEqualTo(constant.requests());
            for (long i = 0; i < checked; i++) {
                assertThat(ramp.intendedOffsetNanos(i))
                        .as("request %d at %s/s", i, rate)
                        .isEqualTo(constant.intendedOffsetNanos(i));
            }
        }
    }

    @Test
    void shouldRoundAnExactHalfNanosecondUp() {
        // 4e8 requests/s: one every 2.5 ns
        RampingArrivalRate schedule = new RampingArrivalRate(4e8, List.of(stage(1, 4e8)));

        assertThat(schedule.intendedOffsetNanos(1)).isEqualTo(3);
        assertThat(schedule.intendedOffsetNanos(2)).isEqualTo(5);
        assertThat(schedule.intendedOffsetNanos(3)).isEqualTo(8);
    }

    @Test
    void shouldRunContinuouslyThroughRampFlatAndRampDown() {
        RampingArrivalRate schedule =
                new RampingArrivalRate(0, List.of(stage(10, 100), stage(10, 100), stage(10, 0)));

        assertThat(schedule.requests()).isEqualTo(2_000);
        assertThat(schedule.intendedOffsetNanos(500)).isEqualTo(10_000_000_000L);
        assertThat(schedule.intendedOffsetNanos(1_499)).isEqualTo(19_990_000_000L);
        assertThat(schedule.intendedOffsetNanos(1_500)).isEqualTo(20_000_000_000L);
        for (long i = 1_500; i < 2_000; i++) {
            // 1500 + 100 u - 5 u² = i
            BigDecimal u = reference(BigDecimal.valueOf(100), BigDecimal.valueOf(-10), i - 1_500);
            assertThat(schedule.intendedOffsetNanos(i))
                    .as("request %d", i)
                    .isEqualTo(20_000_000_000L + nanos(u));
        }
        long previous = -1;
        for (long i = 0; i < schedule.requests(); i++) {
            long offset = schedule.intendedOffsetNanos(i);
            assertThat(offset).isGreaterThan(previous).isLessThan(30_000_000_000L);
            previous = offset;
        }
    }

    @Test
    void shouldCarryFractionalRequestsOverToTheNextStage() {
        // 0 -> 3/s over 1 s asks for 1.5 requests: the second is due half a request into stage 2
        RampingArrivalRate schedule = new RampingArrivalRate(0, List.of(stage(1, 3), stage(1, 3)));

        assertThat(schedule.requests()).isEqualTo(5);
        assertThat(schedule.intendedOffsetNanos(1))
                .isEqualTo(
                        nanos(
                                BigDecimal.valueOf(2)
                                        .divide(BigDecimal.valueOf(3), PRECISION)
                                        .sqrt(PRECISION)));
        assertThat(schedule.intendedOffsetNanos(2)).isEqualTo(1_166_666_667L);
        assertThat(schedule.intendedOffsetNanos(4)).isEqualTo(1_833_333_333L);
    }

    @Test
    void shouldMatchTheExactSolutionWithDecimalRates() {
        // 0.1 -> 2.3 requests/s over 100 s
        RampingArrivalRate schedule = new RampingArrivalRate(0.1, List.of(stage(100, 2.3)));
        BigDecimal a = new BigDecimal("0.1");
        BigDecimal slope = new BigDecimal("0.022");

        assertThat(schedule.requests()).isEqualTo(120);
        for (long i = 0; i < schedule.requests(); i++) {
            assertThat(schedule.intendedOffsetNanos(i))
                    .as("request %d", i)
                    .isEqualTo(nanos(reference(a, slope, i)));
        }
    }

    @Test
    void shouldScheduleNothingInAStageAtRateZero() {
        assertThat(new RampingArrivalRate(0, List.of(stage(5, 0))).requests()).isZero();

        RampingArrivalRate pauseThenRamp =
                new RampingArrivalRate(0, List.of(stage(5, 0), stage(2, 10)));
        assertThat(pauseThenRamp.requests()).isEqualTo(10);
        assertThat(pauseThenRamp.intendedOffsetNanos(0)).isEqualTo(5_000_000_000L);

        // down to 0, a pause, up again: request 10 waits for the rate to pick up at 7 s
        RampingArrivalRate downPauseUp =
                new RampingArrivalRate(10, List.of(stage(2, 0), stage(5, 0), stage(2, 10)));
        assertThat(downPauseUp.requests()).isEqualTo(20);
        assertThat(downPauseUp.intendedOffsetNanos(9)).isLessThan(2_000_000_000L);
        assertThat(downPauseUp.intendedOffsetNanos(10)).isEqualTo(7_000_000_000L);
    }

    @Test
    void shouldJumpOnAStageOfZeroDuration() {
        RampingArrivalRate schedule =
                new RampingArrivalRate(
                        10, List.of(stage(1, 10), new Stage(Duration.ZERO, 20), stage(1, 20)));

        assertThat(schedule.requests()).isEqualTo(30);
        assertThat(schedule.intendedOffsetNanos(10)).isEqualTo(1_000_000_000L);
        assertThat(schedule.intendedOffsetNanos(11)).isEqualTo(1_050_000_000L);
    }

    @Test
    void shouldAskForTheRateOnTheLineBetweenTargets() {
        RampingArrivalRate schedule =
                new RampingArrivalRate(20, List.of(stage(10, 120), stage(5, 0)));

        assertThat(schedule.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(schedule.rateAt(Duration.ZERO)).isEqualTo(20);
        assertThat(schedule.rateAt(Duration.ofSeconds(5))).isCloseTo(70, within(1e-9));
        assertThat(schedule.rateAt(Duration.ofMillis(12_500))).isCloseTo(60, within(1e-9));
        assertThat(schedule.rateAt(Duration.ofSeconds(15))).isZero();
    }

    @Test
    void shouldRejectBadStages() {
        assertThatThrownBy(() -> new RampingArrivalRate(0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RampingArrivalRate(-1, List.of(stage(1, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Stage(Duration.ofSeconds(1), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RampingArrivalRate(1, List.of(new Stage(Duration.ZERO, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new RampingArrivalRate(0, List.of(stage(10, 100)))
                                        .intendedOffsetNanos(500))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static Stage stage(long seconds, double target) {
        return new Stage(Duration.ofSeconds(seconds), target);
    }

    /** The time u at which a u + slope u² / 2 = k, computed independently to 60 digits. */
    private static BigDecimal reference(BigDecimal a, BigDecimal slope, long k) {
        BigDecimal kk = BigDecimal.valueOf(k);
        if (slope.signum() == 0) {
            return kk.divide(a, PRECISION);
        }
        BigDecimal discriminant =
                a.multiply(a).add(slope.multiply(kk).multiply(BigDecimal.valueOf(2)));
        return discriminant.sqrt(PRECISION).subtract(a).divide(slope, PRECISION);
    }

    private static long nanos(BigDecimal seconds) {
        return seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
