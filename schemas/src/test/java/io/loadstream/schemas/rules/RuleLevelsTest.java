package io.loadstream.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleLevelsTest {

    private static ThresholdRule rule(
            Comparator comparator, Double warning, Double critical, Double resolve) {
        return ThresholdRule.newBuilder()
                .setRuleId("r")
                .setMetric("p99")
                .setComparator(comparator)
                .setWarning(warning)
                .setCritical(critical)
                .setResolveThreshold(resolve)
                .build();
    }

    @Test
    void shouldGiveTheHighestLevelBreachedAbove() {
        RuleLevels levels = RuleLevels.of(rule(Comparator.ABOVE, 200.0, 500.0, null));

        assertThat(levels.breached(650)).contains(AlertLevel.CRITICAL);
        assertThat(levels.breached(300)).contains(AlertLevel.WARNING);
        assertThat(levels.breached(200)).isEmpty();
        assertThat(levels.resolves(200)).isTrue();
        assertThat(levels.resolves(201)).isFalse();
    }

    @Test
    void shouldJudgeBelowForThroughputLikeMetrics() {
        RuleLevels levels = RuleLevels.of(rule(Comparator.BELOW, 100.0, 50.0, 120.0));

        assertThat(levels.breached(40)).contains(AlertLevel.CRITICAL);
        assertThat(levels.breached(80)).contains(AlertLevel.WARNING);
        assertThat(levels.breached(100)).isEmpty();
        // the resolve threshold holds a firing alert until the value is well back
        assertThat(levels.resolves(110)).isFalse();
        assertThat(levels.resolves(120)).isTrue();
    }

    @Test
    void shouldTakeASingleLevelAsItsOwnResolveThreshold() {
        RuleLevels levels = RuleLevels.of(rule(Comparator.ABOVE, null, 0.01, null));

        assertThat(levels.breached(0.02)).isEqualTo(Optional.of(AlertLevel.CRITICAL));
        assertThat(levels.threshold(AlertLevel.WARNING)).isEqualTo(0.01);
        assertThat(levels.resolves(0.01)).isTrue();
    }

    @Test
    void shouldRefuseARuleWithoutThresholds() {
        assertThatThrownBy(() -> RuleLevels.of(rule(Comparator.ABOVE, null, null, null)))
                .hasMessageContaining("warning or a critical");
    }

    @Test
    void shouldMatchScopesByGlob() {
        RuleScope scope =
                RuleScope.of(
                        ThresholdRule.newBuilder(rule(Comparator.ABOVE, 1.0, null, null))
                                .setRun("ci-*")
                                .setEndpoint("p?y")
                                .build());

        assertThat(scope.appliesTo("ci-123", "any", "pay")).isTrue();
        assertThat(scope.appliesTo("ci-123", "any", "play")).isFalse();
        assertThat(scope.appliesTo("dev-1", "any", "pay")).isFalse();
        assertThat(GlobPattern.of("a.b").matches("axb")).isFalse();
    }

    @Test
    void shouldFindMetricsByTheirFileNames() {
        assertThat(RuleMetric.byId("P99.9")).contains(RuleMetric.P999);
        assertThat(RuleMetric.byId("error_rate")).contains(RuleMetric.ERROR_RATE);
        assertThat(RuleMetric.byId("p42")).isEmpty();
        assertThat(RuleMetric.CONSUMER_LAG.readsWindows()).isFalse();
    }
}
