package io.loadstream.consumers.check;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.alerts.MetricValues;
import io.loadstream.schemas.rules.RuleLevels;
import io.loadstream.schemas.rules.RuleMetric;
import io.loadstream.schemas.rules.RuleScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Judges a finished run against its rules: the verdicts {@code loadstream check} prints and gates
 * on. Pure: the caller reads the run's final summaries, the rules and the run's alerts.
 *
 * <ul>
 *   <li>A run-level rule (resolution 0) is judged here on the endpoint's final run summary, with
 *       the same {@link RuleLevels} analyze uses.
 *   <li>A window rule is judged by analyze, window by window, with its {@code for} and keep-firing
 *       settings; its verdict is the highest level its alert ever fired at in the run ({@code
 *       worstLevel}), so an episode that fired and resolved still fails the gate.
 *   <li>An alert of the run whose rule is gone (deleted since) still counts, with a note.
 * </ul>
 *
 * <pre>{@code
 * List<RuleVerdict> verdicts = RunCheck.judge(runId, summaries, rules, alerts);
 * boolean failed = verdicts.stream().anyMatch(v -> v.fails(AlertLevel.CRITICAL));
 * }</pre>
 */
public final class RunCheck {

    private RunCheck() {}

    /**
     * @param summaries the run's final summaries by endpoint
     * @param rules every rule, enabled or not, by id
     * @param alerts the run's alerts, latest transition per key
     */
    public static List<RuleVerdict> judge(
            String runId,
            SortedMap<String, WindowStats> summaries,
            Collection<ThresholdRule> rules,
            Map<AlertKey, Alert> alerts) {
        Map<AlertKey, Alert> unjudged = new HashMap<>(alerts);
        List<RuleVerdict> verdicts = new ArrayList<>();
        List<ThresholdRule> ordered =
                rules.stream()
                        .filter(ThresholdRule::getEnabled)
                        .sorted(Comparator.comparing(ThresholdRule::getRuleId))
                        .toList();
        for (WindowStats summary : summaries.values()) {
            for (ThresholdRule rule : ordered) {
                if (!RuleScope.of(rule)
                        .appliesTo(runId, summary.getScenario(), summary.getEndpoint())) {
                    continue;
                }
                AlertKey key =
                        new AlertKey(
                                rule.getRuleId(),
                                runId,
                                summary.getScenario(),
                                summary.getEndpoint());
                Alert alert = unjudged.remove(key);
                verdicts.add(
                        rule.getResolutionMs() == 0
                                        && metricOf(rule)
                                                .map(RuleMetric::readsWindows)
                                                .orElse(false)
                                ? onSummary(rule, summary)
                                : fromAlert(
                                        rule, summary.getScenario(), summary.getEndpoint(), alert));
            }
        }
        // alerts of rules since deleted or disabled, and of pipeline rules outside the endpoints
        unjudged.values().stream()
                .sorted(Comparator.comparing(Alert::getRuleId).thenComparing(Alert::getEndpoint))
                .forEach(alert -> verdicts.add(orphan(alert, rules)));
        return verdicts;
    }

    private static RuleVerdict onSummary(ThresholdRule rule, WindowStats summary) {
        if (summary.getCount() < rule.getMinCount()) {
            return new RuleVerdict(
                    rule,
                    summary.getScenario(),
                    summary.getEndpoint(),
                    Optional.empty(),
                    Optional.empty(),
                    "not judged: "
                            + summary.getCount()
                            + " requests, fewer than "
                            + rule.getMinCount());
        }
        double value = metricOf(rule).orElseThrow().valueOf(summary);
        return new RuleVerdict(
                rule,
                summary.getScenario(),
                summary.getEndpoint(),
                Optional.of(value),
                RuleLevels.of(rule).breached(value),
                "");
    }

    private static RuleVerdict fromAlert(
            ThresholdRule rule, String scenario, String endpoint, Alert alert) {
        if (alert == null) {
            return new RuleVerdict(
                    rule, scenario, endpoint, Optional.empty(), Optional.empty(), "never breached");
        }
        AlertLevel worst = alert.getWorstLevel();
        String last =
                "last "
                        + MetricValues.format(rule.getMetric(), alert.getValue())
                        + ", now "
                        + alert.getState();
        String note =
                alert.getEpisodes() > 0
                        ? "fired " + alert.getEpisodes() + "x; " + last
                        : "never fired; " + last;
        // the value that broke the rule is not kept, only the last judged: shown in the note
        return new RuleVerdict(
                rule, scenario, endpoint, Optional.empty(), Optional.ofNullable(worst), note);
    }

    private static RuleVerdict orphan(Alert alert, Collection<ThresholdRule> rules) {
        Optional<ThresholdRule> known =
                rules.stream().filter(r -> r.getRuleId().equals(alert.getRuleId())).findFirst();
        ThresholdRule rule =
                known.orElseGet(
                        () ->
                                ThresholdRule.newBuilder()
                                        .setRuleId(alert.getRuleId())
                                        .setMetric(alert.getMetric())
                                        .setComparator(io.loadstream.avro.Comparator.ABOVE)
                                        .setCritical(alert.getThreshold())
                                        .setResolutionMs(alert.getResolutionMs())
                                        .build());
        String why =
                known.isEmpty()
                        ? "rule deleted since"
                        : known.get().getEnabled()
                                ? "outside the run's endpoints"
                                : "rule disabled since";
        RuleVerdict fromAlert = fromAlert(rule, alert.getScenario(), alert.getEndpoint(), alert);
        return new RuleVerdict(
                rule,
                alert.getScenario(),
                alert.getEndpoint(),
                fromAlert.value(),
                fromAlert.breached(),
                why + "; " + fromAlert.note());
    }

    private static Optional<RuleMetric> metricOf(ThresholdRule rule) {
        return RuleMetric.byId(rule.getMetric());
    }
}
