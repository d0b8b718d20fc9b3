package io.loadstream.schemas.rules;

import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import java.util.Optional;

/**
 * Judges one value against a rule's thresholds: which level it breaches, and whether it has come
 * back far enough to resolve a firing alert. Pure, shared by analyze (alert state) and {@code
 * check} (verdicts).
 *
 * <pre>{@code
 * RuleLevels levels = RuleLevels.of(rule);   // p99 ABOVE warning 200ms critical 500ms
 * levels.breached(650_000)                    // Optional[CRITICAL]
 * levels.breached(300_000)                    // Optional[WARNING]
 * levels.resolves(150_000)                    // true: back under the lowest threshold
 * }</pre>
 */
public record RuleLevels(
        Comparator comparator, Double warning, Double critical, double resolveThreshold) {

    public RuleLevels {
        if (warning == null && critical == null) {
            throw new IllegalArgumentException("a rule needs a warning or a critical threshold");
        }
    }

    /** The levels of {@code rule}. */
    public static RuleLevels of(ThresholdRule rule) {
        Double warning = rule.getWarning();
        Double critical = rule.getCritical();
        if (warning == null && critical == null) {
            throw new IllegalArgumentException(
                    "rule " + rule.getRuleId() + " needs a warning or a critical threshold");
        }
        double lowest =
                warning == null
                        ? critical
                        : critical == null
                                ? warning
                                : rule.getComparator() == Comparator.ABOVE
                                        ? Math.min(warning, critical)
                                        : Math.max(warning, critical);
        Double resolve = rule.getResolveThreshold();
        return new RuleLevels(
                rule.getComparator(), warning, critical, resolve == null ? lowest : resolve);
    }

    /** The highest level {@code value} breaches, empty when it breaches none. */
    public Optional<AlertLevel> breached(double value) {
        if (critical != null && breaches(value, critical)) {
            return Optional.of(AlertLevel.CRITICAL);
        }
        if (warning != null && breaches(value, warning)) {
            return Optional.of(AlertLevel.WARNING);
        }
        return Optional.empty();
    }

    /** The threshold of {@code level}; the other level's when the rule has no such level. */
    public double threshold(AlertLevel level) {
        Double chosen = level == AlertLevel.CRITICAL ? critical : warning;
        return chosen != null ? chosen : (critical != null ? critical : warning);
    }

    /**
     * Whether a firing alert may resolve on {@code value}: it is back on the good side of the
     * resolve threshold (reaching it exactly counts as back).
     */
    public boolean resolves(double value) {
        return comparator == Comparator.ABOVE
                ? value <= resolveThreshold
                : value >= resolveThreshold;
    }

    private boolean breaches(double value, double threshold) {
        return comparator == Comparator.ABOVE ? value > threshold : value < threshold;
    }
}
