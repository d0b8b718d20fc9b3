package io.loadstream.consumers.alerts.forward;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertState;
import io.loadstream.consumers.alerts.AlertLines;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What the forwarder knows of the alerts of its partitions: the last sequence seen of each, and
 * which fire now, at what level, and when each is next re-sent. It turns a transition into the
 * notices a receiver must get, which depend on what fired before: a level change resolves the
 * earlier level's alert and fires the new one.
 */
final class FiringAlerts {

    private record Firing(Alert alert, TopicPartition partition, long nextSendMs) {}

    private final Map<AlertKey, Firing> firing = new HashMap<>();
    private final Map<AlertKey, Long> sequences = new HashMap<>();
    private final Map<AlertKey, TopicPartition> partitions = new HashMap<>();

    /**
     * The notices for {@code alert}, a transition of {@code key}: none for a pending or inactive
     * alert, for one that {@code accepted} is false of and that did not fire before, and for a
     * transition seen already (a sequence not above the last one).
     */
    List<AlertNotice> notices(AlertKey key, Alert alert, boolean accepted) {
        if (isRepeat(key, alert)) {
            return List.of();
        }
        Firing before = firing.get(key);
        List<AlertNotice> notices = new ArrayList<>(2);
        // the alert at its earlier level ends: it changed level, or is no longer forwarded
        if (before != null && (!accepted || before.alert().getLevel() != alert.getLevel())) {
            notices.add(AlertNotice.resolved(before.alert(), alert.getSinceMs()));
        }
        if (accepted && alert.getState() == AlertState.FIRING) {
            notices.add(AlertNotice.firing(alert));
        } else if (accepted && alert.getState() == AlertState.RESOLVED) {
            notices.add(AlertNotice.resolved(alert, alert.getSinceMs()));
        }
        return notices;
    }

    /**
     * Takes {@code alert} as the current state of {@code key} (read from {@code partition}), firing
     * again at {@code nextSendMs} if it fires and {@code keepFiring}.
     */
    void apply(
            AlertKey key,
            Alert alert,
            TopicPartition partition,
            boolean keepFiring,
            long nextSendMs) {
        partitions.put(key, partition);
        if (alert == null) {
            firing.remove(key);
            sequences.remove(key);
            return;
        }
        if (isRepeat(key, alert)) {
            return;
        }
        sequences.put(key, alert.getSequence());
        if (keepFiring && alert.getState() == AlertState.FIRING) {
            firing.put(key, new Firing(alert, partition, nextSendMs));
        } else {
            firing.remove(key);
        }
    }

    /** The firing alerts whose re-send is due at {@code nowMs}. */
    List<Alert> due(long nowMs) {
        return firing.values().stream()
                .filter(f -> f.nextSendMs() <= nowMs)
                .map(Firing::alert)
                .toList();
    }

    /** {@code alerts} are next re-sent at {@code nextSendMs}. */
    void scheduled(Collection<Alert> alerts, long nextSendMs) {
        for (Alert alert : alerts) {
            AlertKey key = AlertLines.key(alert);
            Firing f = firing.get(key);
            if (f != null) {
                firing.put(key, new Firing(f.alert(), f.partition(), nextSendMs));
            }
        }
    }

    /** Forgets the alerts of partitions this forwarder no longer reads. */
    void forget(Collection<TopicPartition> lost) {
        partitions
                .entrySet()
                .removeIf(
                        e -> {
                            if (lost.contains(e.getValue())) {
                                firing.remove(e.getKey());
                                sequences.remove(e.getKey());
                                return true;
                            }
                            return false;
                        });
    }

    /** How many alerts fire now. */
    int firingCount() {
        return firing.size();
    }

    private boolean isRepeat(AlertKey key, Alert alert) {
        Long last = sequences.get(key);
        return alert.getSequence() > 0 && last != null && alert.getSequence() <= last;
    }
}
