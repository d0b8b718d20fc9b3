package io.loadstream.producers.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scenario thresholds: both levels, every metric, and the rules the generator publishes. */
class ThresholdsTest {

    private static final String ONE_ENDPOINT =
            """
            name: shop
            type: load
            endpoints:
              - {name: home, url: "http://127.0.0.1:1/home"}
            executor: {type: constant-arrival-rate, rate: 10, duration: 30s}
            """;

    private static final String TWO_ENDPOINTS =
            """
            name: shop
            type: load
            endpoints:
              - {name: home, url: "http://127.0.0.1:1/home", weight: 3}
              - {name: pay, url: "http://127.0.0.1:1/pay"}
            executor: {type: constant-arrival-rate, rate: 10, duration: 30s}
            """;

    @Test
    void shouldReadEveryThresholdAsARuleOverTheWholeRun() {
        Scenario scenario =
                parse(
                        ONE_ENDPOINT
                                + """
                                  thresholds:
                                    p50: 20ms
                                    p90: 50ms
                                    p95: {warning: 80ms, critical: 100ms}
                                    p99: {critical: 250ms}
                                    p99.9: 1s
                                    mean: 30ms
                                    max: {warning: 2s}
                                    errorRate: {warning: 0.5%, critical: 0.02}
                                    minThroughput: {warning: 9, critical: 8}
                                  """);

        List<ThresholdRule> rules = scenario.rules("scenario shop.yaml");

        assertThat(rules)
                .extracting(
                        ThresholdRule::getRuleId,
                        ThresholdRule::getMetric,
                        ThresholdRule::getComparator,
                        ThresholdRule::getWarning,
                        ThresholdRule::getCritical)
                .containsExactly(
                        tuple("scenario:shop:p50", "p50", Comparator.ABOVE, null, 20_000.0),
                        tuple("scenario:shop:p90", "p90", Comparator.ABOVE, null, 50_000.0),
                        tuple("scenario:shop:p95", "p95", Comparator.ABOVE, 80_000.0, 100_000.0),
                        tuple("scenario:shop:p99", "p99", Comparator.ABOVE, null, 250_000.0),
                        tuple("scenario:shop:p999", "p999", Comparator.ABOVE, null, 1_000_000.0),
                        tuple("scenario:shop:mean", "mean", Comparator.ABOVE, null, 30_000.0),
                        tuple("scenario:shop:max", "max", Comparator.ABOVE, 2_000_000.0, null),
                        tuple(
                                "scenario:shop:error_rate",
                                "error_rate",
                                Comparator.ABOVE,
                                0.005,
                                0.02),
                        tuple(
                                "scenario:shop:throughput",
                                "throughput",
                                Comparator.BELOW,
                                9.0,
                                8.0));
        assertThat(rules)
                .allSatisfy(
                        rule -> {
                            assertThat(rule.getScenario()).isEqualTo("shop");
                            assertThat(rule.getRun()).isNull();
                            assertThat(rule.getEndpoint()).isNull();
                            assertThat(rule.getResolutionMs()).isZero();
                            assertThat(rule.getSource()).isEqualTo("scenario shop.yaml");
                            assertThat(rule.getEnabled()).isTrue();
                        });
    }

    @Test
    void shouldHoldEachEndpointToItsShareOfTheMinimumThroughput() {
        Scenario scenario =
                parse(
                        TWO_ENDPOINTS
                                + "thresholds: {p99: 1s, minThroughput: {warning: 10, critical:"
                                + " 8}}\n");

        List<ThresholdRule> rules = scenario.rules("scenario shop.yaml");

        assertThat(rules)
                .extracting(
                        ThresholdRule::getRuleId,
                        ThresholdRule::getEndpoint,
                        ThresholdRule::getWarning,
                        ThresholdRule::getCritical)
                .containsExactly(
                        tuple("scenario:shop:p99", null, null, 1_000_000.0),
                        tuple("scenario:shop:throughput:home", "home", 7.5, 6.0),
                        tuple("scenario:shop:throughput:pay", "pay", 2.5, 2.0));
    }

    @Test
    void shouldMakeNoRulesOfAScenarioWithoutThresholds() {
        assertThat(parse(ONE_ENDPOINT).rules("scenario shop.yaml")).isEmpty();
    }

    @Test
    void shouldRefuseAWarningLevelPastTheCriticalOne() {
        ScenarioException error =
                parseError(
                        ONE_ENDPOINT + "thresholds:\n  p99: {warning: 600ms, critical: 500ms}\n");

        assertThat(error.getMessage())
                .isEqualTo(
                        "shop.yaml:7:18: thresholds.p99.warning: warning 600ms must be below"
                                + " critical 500ms: a rising p99 passes the warning level first");
    }

    @Test
    void shouldRefuseAMinimumThroughputWarningBelowItsCriticalLevel() {
        ScenarioException error =
                parseError(
                        ONE_ENDPOINT + "thresholds:\n  minThroughput: {warning: 5, critical: 8}\n");

        assertThat(error.path()).isEqualTo("thresholds.minThroughput.warning");
        assertThat(error.line()).isEqualTo(7);
        assertThat(error.reason()).startsWith("warning 5 must be above critical 8");
    }

    @Test
    void shouldRefuseANumberWhereALatencyIsMeant() {
        ScenarioException error = parseError(ONE_ENDPOINT + "thresholds:\n  p95: 250\n");

        assertThat(error.getMessage())
                .isEqualTo(
                        "shop.yaml:7:8: thresholds.p95: '250' is not a duration: p95 is a time,"
                                + " written for example 250ms, 1.5s or 2m");
    }

    @Test
    void shouldRefuseAnUnknownLevel() {
        ScenarioException error =
                parseError(ONE_ENDPOINT + "thresholds:\n  p99: {warn: 300ms, critical: 500ms}\n");

        assertThat(error.getMessage())
                .isEqualTo(
                        "shop.yaml:7:9: thresholds.p99: unknown field 'warn' (known: warning,"
                                + " critical)");
    }

    @Test
    void shouldRefuseAnUnknownThreshold() {
        ScenarioException error = parseError(ONE_ENDPOINT + "thresholds:\n  p98: 300ms\n");

        assertThat(error.line()).isEqualTo(7);
        assertThat(error.reason())
                .isEqualTo(
                        "unknown field 'p98' (known: p50, p90, p95, p99, p99.9, mean, max,"
                                + " errorRate, minThroughput)");
    }

    @Test
    void shouldRefuseAnEmptyLevelMapping() {
        ScenarioException error = parseError(ONE_ENDPOINT + "thresholds:\n  p99: {}\n");

        assertThat(error.path()).isEqualTo("thresholds.p99");
        assertThat(error.reason()).startsWith("no threshold");
    }

    private static Scenario parse(String yaml) {
        return ScenarioLoader.parse(yaml, "shop.yaml", Map.of());
    }

    private static ScenarioException parseError(String yaml) {
        return catchThrowableOfType(ScenarioException.class, () -> parse(yaml));
    }
}
