package io.loadstream.cli;

import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.producers.rules.RuleResolution;
import io.loadstream.producers.scenario.DisplayText;
import io.loadstream.producers.scenario.ThresholdValues;
import io.loadstream.schemas.rules.RuleMetric;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Threshold rules as a text table, with values written as rules files write them: one row per rule
 * with its id, scope ({@code run/scenario/endpoint}, {@code *} for all), metric, levels,
 * resolution, {@code for} (and {@code keepFiringFor}) and source. {@code rules apply} and {@code
 * rules list} print it.
 */
final class RuleTable {

    private static final String[] HEADER = {
        "ID", "SCOPE", "METRIC", "LEVELS", "RESOLUTION", "FOR", "SOURCE"
    };

    private RuleTable() {}

    /** Prints {@code rules} in their order, under a header line. */
    static void print(Collection<ThresholdRule> rules, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ThresholdRule rule : rules) {
            rows.add(row(rule));
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(
                        i == row.length - 1
                                ? row[i]
                                : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String[] row(ThresholdRule rule) {
        return new String[] {
            rule.getRuleId() + (rule.getEnabled() ? "" : " (disabled)"),
            pattern(rule.getRun())
                    + "/"
                    + pattern(rule.getScenario())
                    + "/"
                    + pattern(rule.getEndpoint()),
            rule.getMetric(),
            levels(rule),
            RuleResolution.describe(rule.getResolutionMs()),
            forDuration(rule),
            rule.getSource()
        };
    }

    /** {@code above warning 300ms critical 500ms resolve 250ms}. */
    static String levels(ThresholdRule rule) {
        Optional<RuleMetric> metric = RuleMetric.byId(rule.getMetric());
        StringBuilder text =
                new StringBuilder(rule.getComparator() == Comparator.ABOVE ? "above" : "below");
        if (rule.getWarning() != null) {
            text.append(" warning ").append(value(metric, rule.getWarning()));
        }
        if (rule.getCritical() != null) {
            text.append(" critical ").append(value(metric, rule.getCritical()));
        }
        if (rule.getResolveThreshold() != null) {
            text.append(" resolve ").append(value(metric, rule.getResolveThreshold()));
        }
        return text.toString();
    }

    private static String forDuration(ThresholdRule rule) {
        String text = DisplayText.duration(Duration.ofMillis(rule.getForMs()));
        return rule.getKeepFiringForMs() == 0
                ? text
                : text
                        + ", keep "
                        + DisplayText.duration(Duration.ofMillis(rule.getKeepFiringForMs()));
    }

    private static String value(Optional<RuleMetric> metric, double value) {
        return metric.map(m -> ThresholdValues.format(m, value))
                .orElseGet(() -> DisplayText.number(value));
    }

    private static String pattern(String glob) {
        return glob == null || glob.isBlank() ? "*" : glob;
    }
}
