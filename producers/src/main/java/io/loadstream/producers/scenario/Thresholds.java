package io.loadstream.producers.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.schemas.rules.RuleMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pass marks of a run, all optional, each judged over the whole run and per endpoint: a single
 * value is the critical level, a mapping may add a warning level. The generator publishes them as
 * threshold rules ({@link #rules}) before its run starts, so that {@code analyze} judges them.
 *
 * <pre>{@code
 * thresholds:
 *   p95: 250ms
 *   p99: {warning: 300ms, critical: 500ms}
 *   errorRate: 1%
 *   minThroughput: 190
 * }</pre>
 *
 * @param p50 highest acceptable median latency, or null
 * @param p90 highest acceptable 90th percentile latency, or null
 * @param p95 highest acceptable 95th percentile latency, or null
 * @param p99 highest acceptable 99th percentile latency, or null
 * @param p999 highest acceptable 99.9th percentile latency ({@code p99.9} in files), or null
 * @param mean highest acceptable mean latency, or null
 * @param max highest acceptable slowest request, or null
 * @param errorRate highest acceptable share of failed requests, from 0 to 1 ({@code 1%} in files),
 *     or null
 * @param minThroughput lowest acceptable rate of completed requests per second, or null
 */
public record Thresholds(
        ThresholdLevels p50,
        ThresholdLevels p90,
        ThresholdLevels p95,
        ThresholdLevels p99,
        @JsonProperty("p99.9") ThresholdLevels p999,
        ThresholdLevels mean,
        ThresholdLevels max,
        ThresholdLevels errorRate,
        ThresholdLevels minThroughput) {

    public Thresholds {
        // read every level now, so that a wrong one fails when the file is loaded
        levels(p50, p90, p95, p99, p999, mean, max, errorRate, minThroughput);
    }

    /**
     * The thresholds as rules, one per threshold given, with the ids {@code
     * scenario:<scenario>:<metric>}: scoped to runs of {@code scenario} (every run), judged per
     * endpoint on the final run summary (resolution 0), above the levels except {@code
     * minThroughput}, judged below them as the metric {@code throughput}.
     *
     * <p>Results are per endpoint, and {@code minThroughput} is the rate of all endpoints together;
     * so with several endpoints it becomes one rule per endpoint, {@code
     * scenario:<scenario>:throughput:<endpoint>}, whose levels are the endpoint's share of the
     * requests (its weight over the sum of weights) of the scenario's.
     *
     * @param scenario the scenario's name
     * @param shares each endpoint's share of the requests, from 0 to 1, in the scenario's order
     * @param source where the thresholds come from, for example {@code scenario
     *     scenarios/load-steady.yaml}
     */
    public List<ThresholdRule> rules(String scenario, Map<String, Double> shares, String source) {
        List<ThresholdRule> rules = new ArrayList<>();
        levels(p50, p90, p95, p99, p999, mean, max, errorRate, minThroughput)
                .forEach(
                        (field, values) -> {
                            String id = "scenario:" + scenario + ":" + field.metric.id();
                            if (field != Field.MIN_THROUGHPUT || shares.size() == 1) {
                                rules.add(rule(id, scenario, null, field, values, source));
                                return;
                            }
                            shares.forEach(
                                    (endpoint, share) ->
                                            rules.add(
                                                    rule(
                                                            id + ":" + endpoint,
                                                            scenario,
                                                            endpoint,
                                                            field,
                                                            scaled(values, share),
                                                            source)));
                        });
        return rules;
    }

    private static ThresholdRule rule(
            String id,
            String scenario,
            String endpoint,
            Field field,
            ThresholdLevels.Values values,
            String source) {
        return ThresholdRule.newBuilder()
                .setRuleId(id)
                .setScenario(scenario)
                .setEndpoint(endpoint)
                .setMetric(field.metric.id())
                .setComparator(field.comparator)
                .setWarning(values.warning())
                .setCritical(values.critical())
                .setResolutionMs(0)
                .setSource(source)
                .build();
    }

    private static ThresholdLevels.Values scaled(ThresholdLevels.Values values, double share) {
        return new ThresholdLevels.Values(
                values.warning() == null ? null : values.warning() * share,
                values.critical() == null ? null : values.critical() * share);
    }

    /** A threshold field: its name in files, the metric it judges and in which direction. */
    private enum Field {
        P50("p50", RuleMetric.P50),
        P90("p90", RuleMetric.P90),
        P95("p95", RuleMetric.P95),
        P99("p99", RuleMetric.P99),
        P999("p99.9", RuleMetric.P999),
        MEAN("mean", RuleMetric.MEAN),
        MAX("max", RuleMetric.MAX),
        ERROR_RATE("errorRate", RuleMetric.ERROR_RATE),
        MIN_THROUGHPUT("minThroughput", RuleMetric.THROUGHPUT, Comparator.BELOW);

        final String name;
        final RuleMetric metric;
        final Comparator comparator;

        Field(String name, RuleMetric metric) {
            this(name, metric, Comparator.ABOVE);
        }

        Field(String name, RuleMetric metric, Comparator comparator) {
            this.name = name;
            this.metric = metric;
            this.comparator = comparator;
        }
    }

    /** The levels given, in the order of {@link Field}, read in their metrics' units. */
    private static Map<Field, ThresholdLevels.Values> levels(ThresholdLevels... given) {
        Map<Field, ThresholdLevels.Values> values = new LinkedHashMap<>();
        Field[] fields = Field.values();
        for (int i = 0; i < fields.length; i++) {
            if (given[i] != null) {
                Field field = fields[i];
                values.put(field, given[i].values(field.metric, field.comparator, field.name));
            }
        }
        return values;
    }
}
