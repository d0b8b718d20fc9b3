package io.loadstream.producers.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.producers.scenario.InvalidFieldException;
import io.loadstream.producers.scenario.ThresholdLevels;
import io.loadstream.producers.scenario.ThresholdValues;
import io.loadstream.schemas.config.Durations;
import io.loadstream.schemas.rules.RuleMetric;
import java.time.Duration;
import java.util.Map;

/**
 * One rule as a rules file writes it; {@link #toRule} makes the {@link ThresholdRule} that goes to
 * the {@code rules} topic. Thresholds are written in the metric's unit ({@link ThresholdValues}):
 * {@code 250ms} for latencies, {@code 1%} for the error rate, plain numbers for throughput and
 * counts.
 *
 * <pre>{@code
 * - id: checkout-p99
 *   scenario: load-*
 *   endpoint: checkout
 *   metric: p99
 *   above: {warning: 300ms, critical: 500ms}
 *   resolve: 250ms
 *   resolution: 10s
 *   for: 30s
 *   keepFiringFor: 1m
 *   minCount: 50
 *   labels: {team: payments}
 *   annotations: {summary: checkout is slow}
 * }</pre>
 *
 * @param id the rule's id, its key on the {@code rules} topic: unique, and not starting with {@code
 *     scenario:}, which is kept for scenario thresholds
 * @param run glob pattern ({@code *}, {@code ?}) of the run ids it applies to (default: every run)
 * @param scenario glob pattern of the scenarios it applies to (default: every scenario)
 * @param endpoint glob pattern of the endpoints it applies to (default: every endpoint)
 * @param metric what is judged: a {@link RuleMetric} id such as {@code p99} or {@code error_rate}
 * @param above breaches when the value rises above a level: a value (critical) or {@code {warning,
 *     critical}}; exactly one of {@code above} and {@code below} is given
 * @param below breaches when the value falls below a level
 * @param resolve a firing alert resolves only once the value is back past this (default: the lowest
 *     level)
 * @param resolution the windows judged: {@code 1s}, {@code 10s}, {@code 1m}, or {@code run} for the
 *     whole run so far, judged on the final run summary (default: 1s)
 * @param forDuration ({@code for} in files) how long the breach must last before the alert fires
 *     (default 0s)
 * @param keepFiringFor how long a firing alert keeps firing once the breach has cleared (default
 *     0s)
 * @param minCount windows with fewer requests are not judged (default 1)
 * @param labels free labels, passed on to alerts
 * @param annotations free annotations (summary, description), passed on to alerts
 * @param enabled false keeps the rule on the topic without judging it (default true)
 */
public record RuleSpec(
        String id,
        String run,
        String scenario,
        String endpoint,
        String metric,
        ThresholdLevels above,
        ThresholdLevels below,
        String resolve,
        String resolution,
        @JsonProperty("for") @JsonDeserialize(using = Durations.Deserializer.class)
                Duration forDuration,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration keepFiringFor,
        Long minCount,
        Map<String, String> labels,
        Map<String, String> annotations,
        Boolean enabled) {

    /** Prefix of the ids of the rules the generator makes of scenario thresholds. */
    static final String SCENARIO_PREFIX = "scenario:";

    public RuleSpec {
        id = checkId(id);
        RuleMetric judged = metric(metric);
        ThresholdLevels.Values levels = levels(judged, above, below);
        if (resolve != null) {
            checkResolve(
                    resolve, judged, above != null ? Comparator.ABOVE : Comparator.BELOW, levels);
        }
        RuleResolution.parse(resolution);
        notNegative(forDuration, "for");
        notNegative(keepFiringFor, "keepFiringFor");
        if (minCount != null && minCount < 0) {
            throw new InvalidFieldException("minCount", "must be 0 or more, not " + minCount);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /**
     * The rule for the {@code rules} topic.
     *
     * @param source where it comes from, for example {@code rules rules/example-rules.yaml:12}
     */
    public ThresholdRule toRule(String source) {
        RuleMetric judged = metric(metric);
        Comparator comparator = above != null ? Comparator.ABOVE : Comparator.BELOW;
        ThresholdLevels.Values levels = levels(judged, above, below);
        return ThresholdRule.newBuilder()
                .setRuleId(id)
                .setRun(run)
                .setScenario(scenario)
                .setEndpoint(endpoint)
                .setMetric(judged.id())
                .setComparator(comparator)
                .setWarning(levels.warning())
                .setCritical(levels.critical())
                .setResolveThreshold(resolve == null ? null : value(judged, resolve, "resolve"))
                .setResolutionMs(RuleResolution.parse(resolution).millis())
                .setForMs(forDuration == null ? 0 : forDuration.toMillis())
                .setKeepFiringForMs(keepFiringFor == null ? 0 : keepFiringFor.toMillis())
                .setMinCount(minCount == null ? 1 : minCount)
                .setLabels(Map.copyOf(labels))
                .setAnnotations(Map.copyOf(annotations))
                .setSource(source)
                .setEnabled(enabled == null || enabled)
                .build();
    }

    private static String checkId(String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidFieldException("id", "is required");
        }
        String stripped = id.strip();
        if (stripped.startsWith(SCENARIO_PREFIX)) {
            throw new InvalidFieldException(
                    "id",
                    "'"
                            + stripped
                            + "': ids starting with "
                            + SCENARIO_PREFIX
                            + " are the rules the generator makes of a scenario's thresholds;"
                            + " choose another id");
        }
        return stripped;
    }

    private static RuleMetric metric(String metric) {
        if (metric == null || metric.isBlank()) {
            throw new InvalidFieldException(
                    "metric", "is required (one of " + RuleMetric.ids() + ")");
        }
        return RuleMetric.byId(metric)
                .orElseThrow(
                        () ->
                                new InvalidFieldException(
                                        "metric",
                                        "unknown metric '"
                                                + metric
                                                + "' (known: "
                                                + RuleMetric.ids()
                                                + ")"));
    }

    private static ThresholdLevels.Values levels(
            RuleMetric metric, ThresholdLevels above, ThresholdLevels below) {
        if (above != null && below != null) {
            throw new InvalidFieldException(
                    "below", "give either above: or below:, not both (a rule has one direction)");
        }
        if (above == null && below == null) {
            throw new InvalidFieldException(
                    "above",
                    "no threshold: give above: or below:, with a value (critical) or {warning: ...,"
                            + " critical: ...}");
        }
        return above != null
                ? above.values(metric, Comparator.ABOVE, "above")
                : below.values(metric, Comparator.BELOW, "below");
    }

    /** The resolve threshold must lie on the good side of the lowest level, or the rule flaps. */
    private static void checkResolve(
            String resolve,
            RuleMetric metric,
            Comparator comparator,
            ThresholdLevels.Values levels) {
        double value = value(metric, resolve, "resolve");
        double lowest = levels.warning() != null ? levels.warning() : levels.critical();
        boolean goodSide = comparator == Comparator.ABOVE ? value <= lowest : value >= lowest;
        if (!goodSide) {
            throw new InvalidFieldException(
                    "resolve",
                    resolve
                            + " is past the lowest level ("
                            + ThresholdValues.format(metric, lowest)
                            + "): a rule "
                            + (comparator == Comparator.ABOVE ? "above" : "below")
                            + " a level resolves at or "
                            + (comparator == Comparator.ABOVE ? "under" : "over")
                            + " it");
        }
    }

    private static double value(RuleMetric metric, String text, String field) {
        try {
            return ThresholdValues.parse(metric, text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    private static void notNegative(Duration duration, String field) {
        if (duration != null && duration.isNegative()) {
            throw new InvalidFieldException(field, "must not be negative, not " + duration);
        }
    }
}
