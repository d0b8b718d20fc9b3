package io.loadstream.analytics.alerting;

import io.loadstream.avro.ThresholdRule;
import io.loadstream.schemas.rules.RuleMetric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules as they are now: read from the global store of the compacted {@code rules} topic at
 * each judgement, so a rule written while a run goes on applies from the next final window, and a
 * tombstone removes it. Each rule is parsed once per version; a rule that cannot be judged (an
 * unknown metric, no threshold, a negative duration, a resolution analyze does not make, a pipeline
 * metric) is logged once per version with the reason, and skipped.
 */
final class RuleBook {

    private static final Logger LOG = LoggerFactory.getLogger(RuleBook.class);

    private final Function<String, ThresholdRule> lookup;
    private final Supplier<List<ThresholdRule>> all;
    private final Set<Long> resolutionsMs;
    private final Map<String, Parsed> parsed = new HashMap<>();

    private record Parsed(ThresholdRule version, ActiveRule rule) {}

    RuleBook(
            Function<String, ThresholdRule> lookup,
            Supplier<List<ThresholdRule>> all,
            Set<Long> resolutionsMs) {
        this.lookup = lookup;
        this.all = all;
        this.resolutionsMs = Set.copyOf(resolutionsMs);
    }

    /** The rules of a global timestamped key-value store (a GlobalKTable's). */
    static RuleBook of(
            ReadOnlyKeyValueStore<String, ValueAndTimestamp<ThresholdRule>> store,
            Set<Long> resolutionsMs) {
        return new RuleBook(
                id -> ValueAndTimestamp.getValueOrNull(store.get(id)),
                () -> {
                    List<ThresholdRule> rules = new ArrayList<>();
                    try (KeyValueIterator<String, ValueAndTimestamp<ThresholdRule>> it =
                            store.all()) {
                        while (it.hasNext()) {
                            KeyValue<String, ValueAndTimestamp<ThresholdRule>> next = it.next();
                            if (next.value != null && next.value.value() != null) {
                                rules.add(next.value.value());
                            }
                        }
                    }
                    return rules;
                },
                resolutionsMs);
    }

    /** The enabled rules that judge this result (a final window, or a final run summary). */
    List<ActiveRule> judging(String runId, String scenario, String endpoint, long resolutionMs) {
        return matching(r -> r.judges(runId, scenario, endpoint, resolutionMs));
    }

    /** The enabled {@code no_data} rules, whatever their scope. */
    List<ActiveRule> noDataRules() {
        return matching(r -> r.rule().getEnabled() && r.metric() == RuleMetric.NO_DATA);
    }

    /** The enabled rules on the pipeline metric {@code metric}, whatever their scope. */
    List<ActiveRule> pipelineRules(RuleMetric metric) {
        return matching(r -> r.rule().getEnabled() && r.metric() == metric);
    }

    private List<ActiveRule> matching(Predicate<ActiveRule> wanted) {
        List<ActiveRule> matching = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ThresholdRule rule : all.get()) {
            ids.add(rule.getRuleId());
            parse(rule).filter(wanted).ifPresent(matching::add);
        }
        parsed.keySet().retainAll(ids);
        return matching;
    }

    /** The rule {@code ruleId} as it is now; empty when deleted (or never written). */
    Optional<ThresholdRule> current(String ruleId) {
        return Optional.ofNullable(lookup.apply(ruleId));
    }

    /** The rule {@code ruleId} parsed; empty when deleted or when it cannot be judged. */
    Optional<ActiveRule> active(String ruleId) {
        return current(ruleId).flatMap(this::parse);
    }

    private Optional<ActiveRule> parse(ThresholdRule rule) {
        Parsed known = parsed.get(rule.getRuleId());
        if (known != null && known.version().equals(rule)) {
            return Optional.ofNullable(known.rule());
        }
        ActiveRule active = null;
        try {
            active = ActiveRule.of(rule);
            check(active);
        } catch (IllegalArgumentException e) {
            LOG.warn("not judged: {} (source: {})", e.getMessage(), rule.getSource());
            active = null;
        }
        parsed.put(rule.getRuleId(), new Parsed(rule, active));
        return Optional.ofNullable(active);
    }

    private void check(ActiveRule rule) {
        if (rule.metric() == RuleMetric.DROPPED_REQUESTS) {
            throw new IllegalArgumentException(
                    "rule "
                            + rule.id()
                            + ": dropped_requests is not judged: generators count their dropped"
                            + " requests in their own metrics and summary, not in"
                            + " pipeline-metrics");
        }
        if (rule.metric() == RuleMetric.NO_DATA
                || rule.metric().kind() == RuleMetric.Kind.PIPELINE) {
            return;
        }
        long resolution = rule.rule().getResolutionMs();
        if (resolution != 0 && !resolutionsMs.contains(resolution)) {
            throw new IllegalArgumentException(
                    "rule "
                            + rule.id()
                            + ": resolutionMs "
                            + resolution
                            + " is not one of the windows analyze makes ("
                            + resolutionsMs.stream()
                                    .sorted()
                                    .map(String::valueOf)
                                    .collect(Collectors.joining(", "))
                            + " ms) nor 0 for the run");
        }
    }
}
