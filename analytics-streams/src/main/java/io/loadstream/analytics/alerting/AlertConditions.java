package io.loadstream.analytics.alerting;

import io.loadstream.avro.ThresholdRule;
import io.loadstream.schemas.rules.RuleLevels;

/**
 * What an alert is judged against: a rule's levels (warning, critical and resolve thresholds), how
 * long a breach must last before the alert fires, how long a firing alert keeps firing after the
 * breach cleared, and the fewest requests a window needs to be judged at all.
 *
 * @param levels the thresholds and the comparator
 * @param forMs window time a breach must have lasted before the alert fires; 0 fires on the first
 *     breaching window
 * @param keepFiringForMs window time a firing alert stays firing after the value came back past the
 *     resolve threshold
 * @param minCount windows with fewer requests neither breach nor clear
 */
public record AlertConditions(RuleLevels levels, long forMs, long keepFiringForMs, long minCount) {

    public AlertConditions {
        if (forMs < 0) {
            throw new IllegalArgumentException("forMs must not be negative, not " + forMs);
        }
        if (keepFiringForMs < 0) {
            throw new IllegalArgumentException(
                    "keepFiringForMs must not be negative, not " + keepFiringForMs);
        }
    }

    /**
     * The conditions of {@code rule}.
     *
     * @throws IllegalArgumentException naming the rule and the field when the rule has neither a
     *     warning nor a critical threshold, or a negative duration
     */
    public static AlertConditions of(ThresholdRule rule) {
        try {
            return new AlertConditions(
                    RuleLevels.of(rule),
                    rule.getForMs(),
                    rule.getKeepFiringForMs(),
                    rule.getMinCount());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule " + rule.getRuleId() + ": " + e.getMessage());
        }
    }
}
