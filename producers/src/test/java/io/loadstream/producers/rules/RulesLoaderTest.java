package io.loadstream.producers.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.producers.scenario.ScenarioException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules files: what a rule becomes on the topic, and each mistake with file, line and field. */
class RulesLoaderTest {

    @Test
    void shouldReadEveryFieldInTheUnitsOfTheTopic() {
        List<ThresholdRule> rules =
                RulesLoader.parse(
                        """
                        rules:
                          - id: checkout-p99
                            run: nightly-*
                            scenario: load-*
                            endpoint: checkout
                            metric: p99
                            above: {warning: 300ms, critical: 0.5s}
                            resolve: 250ms
                            resolution: 10s
                            for: 30s
                            keepFiringFor: 1m
                            minCount: 50
                            labels: {team: payments}
                            annotations: {summary: slow checkout}
                            enabled: false
                          - id: errors
                            metric: error_rate
                            above: 1%
                            resolution: run
                          - id: floor
                            metric: throughput
                            below: {warning: 180, critical: 150}
                        """,
                        "rules.yaml");

        ThresholdRule checkout = rules.get(0);
        assertThat(checkout.getRuleId()).isEqualTo("checkout-p99");
        assertThat(checkout.getRun()).isEqualTo("nightly-*");
        assertThat(checkout.getScenario()).isEqualTo("load-*");
        assertThat(checkout.getEndpoint()).isEqualTo("checkout");
        assertThat(checkout.getMetric()).isEqualTo("p99");
        assertThat(checkout.getComparator()).isEqualTo(Comparator.ABOVE);
        assertThat(checkout.getWarning()).isEqualTo(300_000.0);
        assertThat(checkout.getCritical()).isEqualTo(500_000.0);
        assertThat(checkout.getResolveThreshold()).isEqualTo(250_000.0);
        assertThat(checkout.getResolutionMs()).isEqualTo(10_000);
        assertThat(checkout.getForMs()).isEqualTo(30_000);
        assertThat(checkout.getKeepFiringForMs()).isEqualTo(60_000);
        assertThat(checkout.getMinCount()).isEqualTo(50);
        assertThat(checkout.getLabels()).isEqualTo(Map.of("team", "payments"));
        assertThat(checkout.getAnnotations()).isEqualTo(Map.of("summary", "slow checkout"));
        assertThat(checkout.getEnabled()).isFalse();
        assertThat(checkout.getSource()).isEqualTo("rules rules.yaml:2");

        ThresholdRule errors = rules.get(1);
        assertThat(errors.getCritical()).isEqualTo(0.01);
        assertThat(errors.getWarning()).isNull();
        assertThat(errors.getResolutionMs()).isZero();
        assertThat(errors.getRun()).isNull();
        assertThat(errors.getForMs()).isZero();
        assertThat(errors.getMinCount()).isEqualTo(1);
        assertThat(errors.getEnabled()).isTrue();
        assertThat(errors.getSource()).isEqualTo("rules rules.yaml:16");

        ThresholdRule floor = rules.get(2);
        assertThat(floor.getComparator()).isEqualTo(Comparator.BELOW);
        assertThat(floor.getWarning()).isEqualTo(180.0);
        assertThat(floor.getCritical()).isEqualTo(150.0);
        assertThat(floor.getResolutionMs()).isEqualTo(1_000);
    }

    @Test
    void shouldLoadTheExampleRulesFile() {
        Path example = Path.of("..", "rules", "example-rules.yaml");

        List<ThresholdRule> rules = RulesLoader.load(example);

        assertThat(rules)
                .extracting(ThresholdRule::getRuleId)
                .containsExactly("checkout-p99", "error-budget", "throughput-floor", "analyze-lag");
        assertThat(rules.get(0).getSource()).startsWith("rules " + example + ":");
    }

    @Test
    void shouldListTheKnownMetricsForAnUnknownOne() {
        ScenarioException error = error("rules:\n  - id: a\n    metric: p98\n    above: 1s\n");

        assertThat(error.getMessage())
                .startsWith(
                        "rules.yaml:3:13: rules[0].metric: unknown metric 'p98' (known: p50, p90,"
                                + " p95, p99, p999, mean, max, uncorrected_p99, error_rate,");
    }

    @Test
    void shouldRefuseAnUnknownField() {
        ScenarioException error =
                error("rules:\n  - id: a\n    metric: p99\n    above: 1s\n    fro: 10s\n");

        assertThat(error.line()).isEqualTo(5);
        assertThat(error.column()).isEqualTo(5);
        assertThat(error.path()).isEqualTo("rules[0]");
        assertThat(error.reason()).startsWith("unknown field 'fro' (known: id, run, scenario,");
    }

    @Test
    void shouldRefuseAResolutionThatAnalyzeDoesNotCompute() {
        ScenarioException error =
                error("rules:\n  - id: a\n    metric: p99\n    above: 1s\n    resolution: 5s\n");

        assertThat(error.getMessage())
                .isEqualTo(
                        "rules.yaml:5:17: rules[0].resolution: '5s' is not a resolution: use 1s,"
                                + " 10s or 1m (windows analyze computes) or run (the whole run)");
    }

    @Test
    void shouldRefuseBothAboveAndBelow() {
        ScenarioException error =
                error("rules:\n  - id: a\n    metric: p99\n    above: 1s\n    below: 10ms\n");

        assertThat(error.line()).isEqualTo(5);
        assertThat(error.path()).isEqualTo("rules[0].below");
        assertThat(error.reason()).startsWith("give either above: or below:, not both");
    }

    @Test
    void shouldRefuseARuleWithoutAThreshold() {
        ScenarioException error = error("rules:\n  - id: a\n    metric: p99\n    for: 10s\n");

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.path()).isEqualTo("rules[0].above");
        assertThat(error.reason()).startsWith("no threshold: give above: or below:");
    }

    @Test
    void shouldRefuseAnEmptyThreshold() {
        ScenarioException error = error("rules:\n  - id: a\n    metric: p99\n    above: {}\n");

        assertThat(error.line()).isEqualTo(4);
        assertThat(error.path()).isEqualTo("rules[0].above");
        assertThat(error.reason()).startsWith("no threshold");
    }

    @Test
    void shouldRefuseAWarningPastTheCriticalLevelInTheRulesDirection() {
        ScenarioException above =
                error(
                        "rules:\n  - id: a\n    metric: p99\n"
                                + "    above: {warning: 500ms, critical: 300ms}\n");
        ScenarioException below =
                error(
                        "rules:\n  - id: a\n    metric: throughput\n"
                                + "    below: {warning: 100, critical: 150}\n");

        assertThat(above.getMessage())
                .isEqualTo(
                        "rules.yaml:4:22: rules[0].above.warning: warning 500ms must be below"
                                + " critical 300ms: a rising p99 passes the warning level first");
        assertThat(below.getMessage())
                .isEqualTo(
                        "rules.yaml:4:22: rules[0].below.warning: warning 100 must be above"
                                + " critical 150: a falling throughput passes the warning level"
                                + " first");
    }

    @Test
    void shouldRefuseARepeatedId() {
        ScenarioException error =
                error(
                        """
                        rules:
                          - {id: a, metric: p99, above: 1s}
                          - {id: b, metric: p95, above: 1s}
                          - {id: a, metric: max, above: 2s}
                        """);

        assertThat(error.getMessage())
                .startsWith(
                        "rules.yaml:4:10: rules[2].id: 'a' is the id of rules[0] too: ids are"
                                + " keys on the rules topic");
    }

    @Test
    void shouldRefuseValuesInTheWrongUnit() {
        assertThat(error("rules:\n  - {id: a, metric: p99, above: 500}\n").reason())
                .startsWith("'500' is not a duration: p99 is a time");
        assertThat(error("rules:\n  - {id: a, metric: error_rate, above: 5}\n").reason())
                .isEqualTo("must be between 0 and 1 (0% and 100%), not 5");
        assertThat(error("rules:\n  - {id: a, metric: throughput, below: 1s}\n").reason())
                .isEqualTo("'1s' is not a number: throughput is a number (requests per second)");
    }

    @Test
    void shouldRefuseAResolveThresholdOnTheBreachingSide() {
        ScenarioException error =
                error("rules:\n  - id: a\n    metric: p99\n    above: 300ms\n    resolve: 400ms\n");

        assertThat(error.path()).isEqualTo("rules[0].resolve");
        assertThat(error.line()).isEqualTo(5);
        assertThat(error.reason()).startsWith("400ms is past the lowest level (300ms)");
    }

    @Test
    void shouldKeepTheScenarioIdsForScenarioThresholds() {
        ScenarioException error =
                error("rules:\n  - {id: 'scenario:shop:p99', metric: p99, above: 1s}\n");

        assertThat(error.path()).isEqualTo("rules[0].id");
        assertThat(error.reason()).contains("scenario's thresholds");
    }

    @Test
    void shouldNameAMissingFileAndAnEmptyOne() {
        Path missing = Path.of("no", "such", "rules.yaml");

        assertThat(catchThrowableOfType(ScenarioException.class, () -> RulesLoader.load(missing)))
                .hasMessage(missing + ": no such file");
        assertThat(error("# nothing yet\n")).hasMessage("rules.yaml: holds no rules");
        assertThat(error("rules: []\n").getMessage())
                .isEqualTo("rules.yaml:1:8: rules: at least one rule is required");
    }

    private static ScenarioException error(String yaml) {
        return catchThrowableOfType(
                ScenarioException.class, () -> RulesLoader.parse(yaml, "rules.yaml"));
    }
}
