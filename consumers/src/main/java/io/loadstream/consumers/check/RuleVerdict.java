package io.loadstream.consumers.check;

import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.ThresholdRule;
import java.util.Optional;

/**
 * The verdict of one rule on one endpoint of a run.
 *
 * @param rule the rule judged
 * @param scenario the run's scenario
 * @param endpoint the endpoint judged
 * @param value the value judged, in the metric's unit: the run's value for a run-level rule; empty
 *     for a window rule (judged window by window: the note says what its alert last saw) and when
 *     nothing was judged (too few requests)
 * @param breached the highest level breached, empty when the rule held
 * @param note why there is no value, or what else the reader should know; empty when nothing
 */
public record RuleVerdict(
        ThresholdRule rule,
        String scenario,
        String endpoint,
        Optional<Double> value,
        Optional<AlertLevel> breached,
        String note) {

    /** Whether this verdict fails a gate that fails on {@code failOn} and above. */
    public boolean fails(AlertLevel failOn) {
        return breached.isPresent() && breached.get().ordinal() >= failOn.ordinal();
    }

    /** PASS, WARNING or CRITICAL. */
    public String label() {
        return breached.map(AlertLevel::name).orElse("PASS");
    }
}
