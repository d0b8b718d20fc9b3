package io.loadstream.analytics.alerting;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertState;
import java.util.Map;

/**
 * What the alert store remembers of the last {@code Alert} written for a key: enough to write a
 * transition after its rule is gone (metric, resolution, labels, annotations) and to keep an
 * episode's labels. Kept as plain fields rather than the Avro record, so that a later version of
 * the {@code Alert} schema still reads the stores an earlier one wrote.
 *
 * @param state the state it entered
 * @param metric the rule's metric id
 * @param resolutionMs the rule's resolution
 * @param windowEndMs the end of the window that caused it
 * @param labels its labels
 * @param annotations its annotations
 */
public record LastAlert(
        AlertState state,
        String metric,
        long resolutionMs,
        long windowEndMs,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public LastAlert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    static LastAlert of(Alert alert) {
        return new LastAlert(
                alert.getState(),
                alert.getMetric(),
                alert.getResolutionMs(),
                alert.getWindowEndMs(),
                alert.getLabels(),
                alert.getAnnotations());
    }

    /** Whether the alert was pending or firing. */
    boolean isActive() {
        return state == AlertState.PENDING || state == AlertState.FIRING;
    }
}
