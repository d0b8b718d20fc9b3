package io.loadstream.analytics.alerting;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.ThresholdRule;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the {@code Alert} records of transitions. Labels identify an alert to Alertmanager, so
 * they stay those of the rule when its episode began until the episode ends, even if the rule's
 * labels change meanwhile; annotations are the rule's current ones, plus {@value #SOURCE} (where
 * the rule came from) and, for an alert ended from outside its windows, {@value #REASON}.
 */
final class AlertRecords {

    /** Annotation naming where the rule came from: its {@code source}. */
    static final String SOURCE = "source";

    /**
     * Annotation saying why an alert ended without a window that cleared it: {@value
     * #RULE_DELETED}, {@value #RULE_DISABLED}, {@value #RULE_UNJUDGED}, {@value #RULE_OUT_OF_SCOPE}
     * or {@value #RUN_ENDED}.
     */
    static final String REASON = "reason";

    static final String RULE_DELETED = "rule deleted";
    static final String RULE_DISABLED = "rule disabled";
    static final String RULE_UNJUDGED = "rule can no longer be judged (analyze's log says why)";
    static final String RULE_OUT_OF_SCOPE = "rule no longer applies to this endpoint";
    static final String RUN_ENDED = "run ended";

    private AlertRecords() {}

    /**
     * The record of {@code transition}, judged on a window against {@code rule}.
     *
     * @param previous the alert's last record, null before its first
     */
    static Alert judged(
            AlertKey key,
            AlertTransition transition,
            ThresholdRule rule,
            LastAlert previous,
            long emittedAtMs) {
        boolean sameEpisode = previous != null && previous.isActive();
        Map<String, String> labels = sameEpisode ? previous.labels() : rule.getLabels();
        return build(
                key,
                transition,
                rule.getMetric(),
                rule.getResolutionMs(),
                labels,
                annotations(rule, null),
                emittedAtMs);
    }

    /**
     * The record of {@code transition}, an alert ended for {@code reason}; the rule, if it still
     * exists, gives the annotations, the previous record everything else.
     */
    static Alert ended(
            AlertKey key,
            AlertTransition transition,
            LastAlert previous,
            ThresholdRule rule,
            String reason,
            long emittedAtMs) {
        Map<String, String> annotations =
                rule != null ? annotations(rule, reason) : new HashMap<>(previous.annotations());
        annotations.put(REASON, reason);
        return build(
                key,
                transition,
                previous.metric(),
                previous.resolutionMs(),
                previous.labels(),
                annotations,
                emittedAtMs);
    }

    private static Map<String, String> annotations(ThresholdRule rule, String reason) {
        Map<String, String> annotations = new HashMap<>(rule.getAnnotations());
        if (rule.getSource() != null && !rule.getSource().isBlank()) {
            annotations.putIfAbsent(SOURCE, rule.getSource());
        }
        if (reason != null) {
            annotations.put(REASON, reason);
        }
        return annotations;
    }

    private static Alert build(
            AlertKey key,
            AlertTransition t,
            String metric,
            long resolutionMs,
            Map<String, String> labels,
            Map<String, String> annotations,
            long emittedAtMs) {
        return Alert.newBuilder()
                .setRuleId(key.getRuleId())
                .setRunId(key.getRunId())
                .setScenario(key.getScenario())
                .setEndpoint(key.getEndpoint())
                .setState(t.state())
                .setLevel(t.level())
                .setMetric(metric)
                .setValue(t.value())
                .setThreshold(t.threshold())
                .setSeverity(null)
                .setSinceMs(t.sinceMs())
                .setActiveSinceMs(t.activeSinceMs())
                .setWindowStartMs(t.windowStartMs())
                .setWindowEndMs(t.windowEndMs())
                .setResolutionMs(resolutionMs)
                .setSequence(t.sequence())
                .setEpisodes(t.episodes())
                .setWorstLevel(t.worstLevel())
                .setLabels(new HashMap<>(labels))
                .setAnnotations(annotations)
                .setEmittedAtMs(emittedAtMs)
                .build();
    }
}
