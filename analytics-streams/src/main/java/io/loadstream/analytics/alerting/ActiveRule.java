package io.loadstream.analytics.alerting;

import io.loadstream.avro.ThresholdRule;
import io.loadstream.schemas.rules.RuleMetric;
import io.loadstream.schemas.rules.RuleScope;

/**
 * A threshold rule read for judging: its scope, metric and conditions parsed once.
 *
 * @param rule the rule as it is on the rules topic
 */
record ActiveRule(
        ThresholdRule rule, RuleScope scope, RuleMetric metric, AlertConditions conditions) {

    /**
     * Parses {@code rule}.
     *
     * @throws IllegalArgumentException naming the rule and what is wrong with it
     */
    static ActiveRule of(ThresholdRule rule) {
        RuleMetric metric =
                RuleMetric.byId(rule.getMetric())
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "rule "
                                                        + rule.getRuleId()
                                                        + ": unknown metric '"
                                                        + rule.getMetric()
                                                        + "'; one of "
                                                        + RuleMetric.ids()));
        if (rule.getResolutionMs() < 0) {
            throw new IllegalArgumentException(
                    "rule "
                            + rule.getRuleId()
                            + ": resolutionMs must be 0 (the run) or a window size, not "
                            + rule.getResolutionMs());
        }
        AlertConditions conditions = AlertConditions.of(rule);
        if (rule.getResolutionMs() == 0 && metric.readsWindows()) {
            // a run is judged once, on its final summary: nothing can last or keep firing after
            conditions = new AlertConditions(conditions.levels(), 0, 0, conditions.minCount());
        }
        return new ActiveRule(rule, RuleScope.of(rule), metric, conditions);
    }

    String id() {
        return rule.getRuleId();
    }

    /** Whether the rule judges the result of this run, scenario and endpoint at this resolution. */
    boolean judges(String runId, String scenario, String endpoint, long resolutionMs) {
        return rule.getEnabled()
                && metric.readsWindows()
                && rule.getResolutionMs() == resolutionMs
                && scope.appliesTo(runId, scenario, endpoint);
    }
}
