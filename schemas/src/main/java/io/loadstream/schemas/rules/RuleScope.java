package io.loadstream.schemas.rules;

import io.loadstream.avro.ThresholdRule;

/**
 * Which runs, scenarios and endpoints a rule applies to, from its three glob patterns.
 *
 * <pre>{@code
 * RuleScope.of(rule).appliesTo("run-42", "checkout", "pay")
 * }</pre>
 */
public record RuleScope(GlobPattern run, GlobPattern scenario, GlobPattern endpoint) {

    public static RuleScope of(ThresholdRule rule) {
        return new RuleScope(
                GlobPattern.of(rule.getRun()),
                GlobPattern.of(rule.getScenario()),
                GlobPattern.of(rule.getEndpoint()));
    }

    public boolean appliesTo(String runId, String scenarioName, String endpointName) {
        return run.matches(runId)
                && scenario.matches(scenarioName)
                && endpoint.matches(endpointName);
    }
}
