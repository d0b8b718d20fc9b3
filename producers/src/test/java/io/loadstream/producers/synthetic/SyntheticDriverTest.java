package io.loadstream.producers.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.loadstream.avro.Outcome;
import io.loadstream.producers.execute.DriverResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SyntheticDriverTest {

    private static final int CALLS = 200_000;

    @Test
    void shouldDrawSuccessLatenciesWithTheProfilesMedianAndP99() {
        SyntheticDriver driver =
                new SyntheticDriver(LatencyProfile.parseList("checkout:80ms/600ms/2%"), 42);

        long[] latencies = successLatencies(driver, 0, CALLS);

        assertThat((double) percentile(latencies, 0.50)).isCloseTo(80_000, within(0.03 * 80_000));
        assertThat((double) percentile(latencies, 0.99)).isCloseTo(600_000, within(0.08 * 600_000));
    }

    @Test
    void shouldFailAtTheProfilesErrorRateWithOneTimeoutInFourErrors() {
        SyntheticDriver driver =
                new SyntheticDriver(LatencyProfile.parseList("checkout:80ms/600ms/2%"), 7);
        List<SyntheticDriver.Response> errors = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            SyntheticDriver.Response response = driver.call(0);
            if (response.outcome() != Outcome.SUCCESS) {
                errors.add(response);
            }
        }

        assertThat((double) errors.size() / CALLS).isCloseTo(0.02, within(0.002));
        long timeouts = errors.stream().filter(r -> r.outcome() == Outcome.TIMEOUT).count();
        assertThat((double) timeouts / errors.size()).isCloseTo(0.25, within(0.03));
        assertThat(errors)
                .allSatisfy(
                        r -> {
                            if (r.outcome() == Outcome.TIMEOUT) {
                                assertThat(r.statusCode()).isZero();
                                assertThat(r.latencyUs()).isEqualTo(1_800_000);
                                assertThat(r.error()).isEqualTo("synthetic timeout");
                            } else {
                                assertThat(r.outcome()).isEqualTo(Outcome.HTTP_ERROR);
                                assertThat(r.statusCode()).isEqualTo(500);
                                assertThat(r.error()).isEqualTo("synthetic server error");
                            }
                        });
    }

    @Test
    void shouldAnswerSuccessWithStatus200AndNoError() {
        SyntheticDriver driver = new SyntheticDriver(LatencyProfile.parseList("home"), 1);

        for (int i = 0; i < 1_000; i++) {
            SyntheticDriver.Response response = driver.call(0);
            assertThat(response.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.error()).isNull();
        }
    }

    @Test
    void shouldDrawEachEndpointFromItsOwnProfile() {
        SyntheticDriver driver =
                new SyntheticDriver(LatencyProfile.parseList("fast:1ms/2ms,slow:100ms/200ms"), 3);

        assertThat((double) percentile(successLatencies(driver, 0, 20_000), 0.5))
                .isCloseTo(1_000, within(50.0));
        assertThat((double) percentile(successLatencies(driver, 1, 20_000), 0.5))
                .isCloseTo(100_000, within(5_000.0));
    }

    @Test
    void shouldGiveTheSameResponsesForTheSameSeed() {
        List<LatencyProfile> endpoints = LatencyProfile.parseList("a:5ms/50ms/10%,b");
        SyntheticDriver first = new SyntheticDriver(endpoints, 99);
        SyntheticDriver second = new SyntheticDriver(endpoints, 99);
        SyntheticDriver other = new SyntheticDriver(endpoints, 100);

        List<SyntheticDriver.Response> a = new ArrayList<>();
        List<SyntheticDriver.Response> b = new ArrayList<>();
        List<SyntheticDriver.Response> c = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            a.add(first.call(i % 2));
            b.add(second.call(i % 2));
            c.add(other.call(i % 2));
        }

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void shouldNeverAnswerFasterThanOneMicrosecond() {
        SyntheticDriver driver = new SyntheticDriver(LatencyProfile.parseList("tiny:1us/1ms"), 5);

        long[] latencies = successLatencies(driver, 0, 10_000);

        assertThat(latencies[0]).isEqualTo(1);
    }

    @Test
    void shouldAnswerASendAtOnceWithTheResponseOfACall() {
        List<LatencyProfile> endpoints = LatencyProfile.parseList("a:5ms/50ms/30%");
        SyntheticDriver calling = new SyntheticDriver(endpoints, 17);
        SyntheticDriver sending = new SyntheticDriver(endpoints, 17);

        for (int i = 0; i < 1_000; i++) {
            SyntheticDriver.Response expected = calling.call(0);
            CompletableFuture<DriverResponse> future = sending.send(0);

            assertThat(future).isDone();
            assertThat(future.join())
                    .isEqualTo(
                            new DriverResponse(
                                    expected.outcome(),
                                    expected.statusCode(),
                                    expected.latencyUs() * 1_000,
                                    0,
                                    0,
                                    expected.error()));
        }
    }

    @Test
    void shouldRejectAnUnknownEndpoint() {
        SyntheticDriver driver = new SyntheticDriver(LatencyProfile.parseList("a,b"), 5);

        assertThatThrownBy(() -> driver.call(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** Latencies of the successful calls among {@code calls}, sorted. */
    private static long[] successLatencies(SyntheticDriver driver, int endpoint, int calls) {
        long[] latencies = new long[calls];
        int successes = 0;
        for (int i = 0; i < calls; i++) {
            SyntheticDriver.Response response = driver.call(endpoint);
            if (response.outcome() == Outcome.SUCCESS) {
                latencies[successes++] = response.latencyUs();
            }
        }
        long[] sorted = Arrays.copyOf(latencies, successes);
        Arrays.sort(sorted);
        return sorted;
    }

    private static long percentile(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1];
    }
}
