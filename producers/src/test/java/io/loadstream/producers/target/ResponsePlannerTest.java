package io.loadstream.producers.target;

import static io.loadstream.producers.target.FaultScheduleTest.burst;
import static io.loadstream.producers.target.FaultScheduleTest.hang;
import static io.loadstream.producers.target.FaultScheduleTest.regression;
import static io.loadstream.producers.target.FaultScheduleTest.spike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResponsePlannerTest {

    private static final TargetEndpoint SEARCH =
            new TargetEndpoint(
                    "search",
                    "/search",
                    Duration.ofMillis(30),
                    Duration.ofMillis(200),
                    512,
                    0,
                    500);

    private static final TargetEndpoint CHECKOUT =
            new TargetEndpoint(
                    "checkout",
                    "/checkout",
                    Duration.ofMillis(80),
                    Duration.ofMillis(600),
                    2048,
                    0.02,
                    502);

    @Test
    void shouldDrawLatenciesWithTheEndpointsMedianAndP99() {
        ResponsePlanner planner = planner(List.of());
        SplittableRandom random = new SplittableRandom(1);

        long[] delays = new long[20_000];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = planner.plan("search", 1_000, random).delayNanos();
        }
        Arrays.sort(delays);

        assertThat(delays[delays.length / 2] / 1e6).isCloseTo(30, within(1.5));
        assertThat(delays[delays.length * 99 / 100] / 1e6).isCloseTo(200, within(20.0));
    }

    @Test
    void shouldAnswerWithTheEndpointsBodyOrFailAtItsErrorRate() {
        ResponsePlanner planner = planner(List.of());
        SplittableRandom random = new SplittableRandom(2);

        int failed = 0;
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            ResponsePlan plan = planner.plan("checkout", 1_000, random);
            if (plan.failed()) {
                failed++;
                assertThat(plan.status()).isEqualTo(502);
                assertThat(plan.payloadBytes()).isZero();
            } else {
                assertThat(plan.status()).isEqualTo(200);
                assertThat(plan.payloadBytes()).isEqualTo(2048);
            }
        }

        assertThat(failed / (double) n).isCloseTo(0.02, within(0.003));
    }

    @Test
    void shouldMultiplyTheSameDrawBySpikeAndRegression() {
        ResponsePlanner planner =
                planner(List.of(spike("search", 20_000, 5_000, 8), regression(null, 0, null, 30)));

        long before = planner.plan("search", 19_999, new SplittableRandom(3)).delayNanos();
        long during = planner.plan("search", 20_000, new SplittableRandom(3)).delayNanos();
        long after = planner.plan("search", 25_000, new SplittableRandom(3)).delayNanos();

        assertThat(during / (double) before).isCloseTo(8, within(1e-6));
        assertThat(after).isEqualTo(before);
        long unfaulted = planner(List.of()).plan("search", 0, new SplittableRandom(3)).delayNanos();
        assertThat(before / (double) unfaulted).isCloseTo(1.3, within(1e-6));
    }

    @Test
    void shouldFailTheBurstShareWithTheBurstStatus() {
        ResponsePlanner planner = planner(List.of(burst("search", 0, 60_000, 30, 503)));
        SplittableRandom random = new SplittableRandom(4);

        int n = 20_000;
        long burstFailures = 0;
        for (int i = 0; i < n; i++) {
            ResponsePlan plan = planner.plan("search", 30_000, random);
            assertThat(plan.status()).isIn(200, 503);
            burstFailures += plan.status() == 503 ? 1 : 0;
        }
        assertThat(burstFailures / (double) n).isCloseTo(0.30, within(0.02));
        assertThat(planner.plan("search", 60_000, random).status()).isEqualTo(200);
    }

    @Test
    void shouldAddBurstAndEndpointErrorsUp() {
        ResponsePlanner planner = planner(List.of(burst("checkout", 0, 60_000, 50, 503)));
        SplittableRandom random = new SplittableRandom(5);

        int n = 40_000;
        int burst = 0;
        int endpoint = 0;
        for (int i = 0; i < n; i++) {
            int status = planner.plan("checkout", 10, random).status();
            burst += status == 503 ? 1 : 0;
            endpoint += status == 502 ? 1 : 0;
        }

        assertThat(burst / (double) n).isCloseTo(0.5, within(0.015));
        assertThat(endpoint / (double) n).isCloseTo(0.5 * 0.02, within(0.003));
    }

    @Test
    void shouldHoldARequestDuringAHangThenAnswerNormally() {
        ResponsePlanner planner = planner(List.of(hang("search", 1_000, 1_500)));

        ResponsePlan held = planner.plan("search", 1_200, new SplittableRandom(6));
        ResponsePlan normal = planner.plan("search", 2_500, new SplittableRandom(6));

        assertThat(held.held()).isTrue();
        assertThat(held.holdUntilMillis()).isEqualTo(2_500);
        assertThat(held.delayNanos()).isEqualTo(1_300_000_000L + normal.delayNanos());
        assertThat(held.status()).isEqualTo(normal.status()).isEqualTo(200);
        assertThat(normal.held()).isFalse();
    }

    @Test
    void shouldGiveTheSamePlansForTheSameSeed() {
        ResponsePlanner planner = planner(List.of());
        SplittableRandom a = new SplittableRandom(7);
        SplittableRandom b = new SplittableRandom(7);

        for (int i = 0; i < 100; i++) {
            assertThat(planner.plan("checkout", i, a)).isEqualTo(planner.plan("checkout", i, b));
        }
    }

    @Test
    void shouldCapAnAbsurdLatency() {
        ResponsePlanner planner = planner(List.of(spike(null, 0, 1_000, 1e12)));

        assertThat(planner.plan("search", 0, new SplittableRandom(8)).delayNanos())
                .isEqualTo(ResponsePlanner.MAX_DELAY_NANOS);
    }

    @Test
    void shouldRejectAnUnknownEndpoint() {
        assertThatThrownBy(() -> planner(List.of()).plan("cart", 0, new SplittableRandom(9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cart");
    }

    private static ResponsePlanner planner(List<FaultSpec> faults) {
        return new ResponsePlanner(new TargetConfig(List.of(SEARCH, CHECKOUT), faults));
    }
}
