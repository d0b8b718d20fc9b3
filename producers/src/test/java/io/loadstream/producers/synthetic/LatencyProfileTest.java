package io.loadstream.producers.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyProfileTest {

    @Test
    void shouldParseNameLatenciesAndPercentErrors() {
        assertThat(LatencyProfile.parse("checkout:80ms/600ms/2%"))
                .isEqualTo(
                        new LatencyProfile(
                                "checkout", Duration.ofMillis(80), Duration.ofMillis(600), 0.02));
    }

    @Test
    void shouldParseFractionErrorsAndEveryUnit() {
        assertThat(LatencyProfile.parse("a:250us/1.5s/0.02"))
                .isEqualTo(
                        new LatencyProfile(
                                "a", Duration.ofNanos(250_000), Duration.ofMillis(1500), 0.02));
        assertThat(LatencyProfile.parse("b:2.5ms/10ms").median())
                .isEqualTo(Duration.ofNanos(2_500_000));
    }

    @Test
    void shouldDefaultMissingErrorsToNone() {
        assertThat(LatencyProfile.parse("search:30ms/200ms").errorRate()).isZero();
    }

    @Test
    void shouldDefaultMissingLatencies() {
        assertThat(LatencyProfile.parse("home"))
                .isEqualTo(
                        new LatencyProfile(
                                "home",
                                LatencyProfile.DEFAULT_MEDIAN,
                                LatencyProfile.DEFAULT_P99,
                                0));
        assertThat(LatencyProfile.parse("home:1%"))
                .isEqualTo(
                        new LatencyProfile(
                                "home", Duration.ofMillis(20), Duration.ofMillis(100), 0.01));
    }

    @Test
    void shouldParseAListInOrderIgnoringSpaces() {
        List<LatencyProfile> profiles =
                LatencyProfile.parseList(" home:5ms/25ms/0.1% , search:30ms/200ms,checkout ");

        assertThat(profiles)
                .extracting(LatencyProfile::endpoint)
                .containsExactly("home", "search", "checkout");
        assertThat(profiles.get(0).errorRate()).isEqualTo(0.001, within(1e-12));
    }

    @Test
    void shouldRejectAnEndpointGivenTwice() {
        assertThatThrownBy(() -> LatencyProfile.parseList("a:1ms/2ms,b,a:3ms/4ms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint 'a' is given twice");
    }

    @Test
    void shouldRejectAnEmptyListOrAnEmptyEntry() {
        assertThatThrownBy(() -> LatencyProfile.parseList(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no endpoints");
        assertThatThrownBy(() -> LatencyProfile.parseList("a,,b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint name must not be empty");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                       | endpoint name must not be empty",
                ":80ms/600ms              | endpoint name must not be empty",
                "a:                       | nothing after ':'",
                "a:80ms                   | give both median and p99",
                "a:80/600ms               | latency '80' is not a duration",
                "a:80ms/600               | latency '600' is not a duration",
                "a:fastms/600ms           | latency 'fastms' is not a duration",
                "a:0ms/600ms              | median of 'a' must be positive",
                "a:-5ms/600ms             | latency '-5ms' is not a duration",
                "a:600ms/80ms             | p99 of 'a' must be greater than its median",
                "a:80ms/80ms              | p99 of 'a' must be greater than its median",
                "a:80ms/600ms/100%        | error rate of 'a' must be at least 0 and below 1",
                "a:80ms/600ms/2           | error rate of 'a' must be at least 0 and below 1",
                "a:80ms/600ms/-1%         | error rate of 'a' must be at least 0 and below 1",
                "a:80ms/600ms/some        | error rate 'some' is not a percentage",
                "a:80ms/600ms/NaN         | error rate 'NaN' is not a percentage",
                "a:80ms/600ms/2%/1        | too many '/'-separated parts",
            })
    void shouldRejectABadSpecNamingItAndTheField(String spec, String problem) {
        assertThatThrownBy(() -> LatencyProfile.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad endpoint spec '" + spec + "'")
                .hasMessageContaining(problem);
    }

    @Test
    void shouldRejectNamesWithSeparators() {
        assertThatThrownBy(
                        () ->
                                new LatencyProfile(
                                        "a,b", Duration.ofMillis(1), Duration.ofMillis(2), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint name 'a,b' must not contain");
        assertThatThrownBy(
                        () ->
                                new LatencyProfile(
                                        "a:b", Duration.ofMillis(1), Duration.ofMillis(2), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint name 'a:b' must not contain");
    }

    @Test
    void shouldPlaceMedianAndP99OnTheLogNormal() {
        LatencyProfile profile = LatencyProfile.parse("checkout:80ms/600ms/2%");

        assertThat(Math.exp(profile.mu())).isCloseTo(80_000, within(1e-6));
        assertThat(Math.exp(profile.mu() + profile.sigma() * LatencyProfile.Z_99))
                .isCloseTo(600_000, within(1e-6));
    }
}
