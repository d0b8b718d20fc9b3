package io.loadstream.analytics.alerting;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.ThresholdRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The alerts of one task: their states in a store of {@link TrackedAlert}s, and each transition
 * forwarded as an {@code Alert} record in the same call that stores the new state, so both are in
 * one transaction. Shared by the processors that judge results and pipeline metrics.
 */
final class AlertLedger {

    private final ProcessorContext<AlertKey, Alert> context;
    private final KeyValueStore<AlertKey, TrackedAlert> store;
    private final RuleBook rules;

    AlertLedger(
            ProcessorContext<AlertKey, Alert> context,
            KeyValueStore<AlertKey, TrackedAlert> store,
            RuleBook rules) {
        this.context = context;
        this.store = store;
        this.rules = rules;
    }

    /** Judges {@code window} against {@code rule} for {@code key}, writing any transition. */
    void judge(AlertKey key, ActiveRule rule, JudgedWindow window, long timestamp) {
        TrackedAlert tracked = tracked(key);
        Optional<AlertTransition> transition = tracked.machine().judge(rule.conditions(), window);
        if (transition.isPresent()) {
            Alert alert =
                    AlertRecords.judged(
                            key,
                            transition.get(),
                            rule.rule(),
                            tracked.last(),
                            context.currentSystemTimeMs());
            tracked = tracked.written(alert);
            context.forward(new Record<>(key, alert, timestamp));
        }
        // an inactive alert that did not change has nothing worth a changelog write: what
        // changed (its last window) matters only to one that is pending or firing
        if (transition.isPresent() || tracked.machine().isActive()) {
            store.put(key, tracked);
        }
    }

    /**
     * Ends the pending or firing alerts whose rule was deleted, disabled, or no longer applies, and
     * deletes the alerts of runs that ended at least {@code runRetentionMs} ago.
     */
    void sweep(long nowMs, long runRetentionMs) {
        for (KeyValue<AlertKey, TrackedAlert> entry : entries()) {
            TrackedAlert tracked = entry.value;
            if (tracked.runEndedAtMs() > 0 && nowMs - tracked.runEndedAtMs() >= runRetentionMs) {
                store.delete(entry.key);
            } else if (tracked.machine().isActive()) {
                Optional<String> reason = whyNotJudged(entry.key);
                if (reason.isPresent()) {
                    long atMs = tracked.last().windowEndMs();
                    store.put(entry.key, end(entry.key, tracked, reason.get(), atMs, nowMs));
                }
            }
        }
    }

    /** Ends an active alert for {@code reason}, writing its transition; returns it tracked. */
    TrackedAlert end(AlertKey key, TrackedAlert tracked, String reason, long atMs, long timestamp) {
        Optional<AlertTransition> transition = tracked.machine().end(atMs);
        if (transition.isEmpty()) {
            return tracked;
        }
        Alert alert =
                AlertRecords.ended(
                        key,
                        transition.get(),
                        tracked.last(),
                        rules.current(key.getRuleId()).orElse(null),
                        reason,
                        context.currentSystemTimeMs());
        context.forward(new Record<>(key, alert, timestamp));
        return tracked.written(alert);
    }

    void put(AlertKey key, TrackedAlert tracked) {
        store.put(key, tracked);
    }

    /** Every entry of the store, read before any is changed. */
    List<KeyValue<AlertKey, TrackedAlert>> entries() {
        List<KeyValue<AlertKey, TrackedAlert>> entries = new ArrayList<>();
        try (KeyValueIterator<AlertKey, TrackedAlert> all = store.all()) {
            all.forEachRemaining(entries::add);
        }
        return entries;
    }

    /** Why the alert's rule no longer judges it, if it does not. */
    private Optional<String> whyNotJudged(AlertKey key) {
        Optional<ThresholdRule> rule = rules.current(key.getRuleId());
        if (rule.isEmpty()) {
            return Optional.of(AlertRecords.RULE_DELETED);
        }
        if (!rule.get().getEnabled()) {
            return Optional.of(AlertRecords.RULE_DISABLED);
        }
        Optional<ActiveRule> active = rules.active(key.getRuleId());
        if (active.isEmpty()) {
            return Optional.of(AlertRecords.RULE_UNJUDGED);
        }
        if (!active.get().scope().appliesTo(key.getRunId(), key.getScenario(), key.getEndpoint())) {
            return Optional.of(AlertRecords.RULE_OUT_OF_SCOPE);
        }
        return Optional.empty();
    }

    private TrackedAlert tracked(AlertKey key) {
        TrackedAlert tracked = store.get(key);
        return tracked != null ? tracked : TrackedAlert.untracked();
    }
}
