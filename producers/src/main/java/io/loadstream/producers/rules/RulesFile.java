package io.loadstream.producers.rules;

import io.loadstream.producers.scenario.InvalidFieldException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rules file: a list of threshold rules with unique ids, read by {@link RulesLoader}. {@code
 * rules/example-rules.yaml} is a worked example.
 *
 * <pre>{@code
 * rules:
 *   - id: checkout-p99
 *     endpoint: checkout
 *     metric: p99
 *     above: {warning: 300ms, critical: 500ms}
 *   - id: error-budget
 *     metric: error_rate
 *     above: 1%
 *     resolution: run
 * }</pre>
 *
 * @param rules the rules, at least one, with unique ids
 */
public record RulesFile(List<RuleSpec> rules) {

    public RulesFile {
        if (rules == null || rules.isEmpty()) {
            throw new InvalidFieldException("rules", "at least one rule is required");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i) == null) {
                throw new InvalidFieldException("rules[" + i + "]", "is empty");
            }
            Integer earlier = seen.putIfAbsent(rules.get(i).id(), i);
            if (earlier != null) {
                throw new InvalidFieldException(
                        "rules[" + i + "].id",
                        "'"
                                + rules.get(i).id()
                                + "' is the id of rules["
                                + earlier
                                + "] too: ids are keys on the rules topic, so the later rule"
                                + " would replace the earlier");
            }
        }
        rules = List.copyOf(rules);
    }
}
