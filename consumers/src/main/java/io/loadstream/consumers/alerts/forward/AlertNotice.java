package io.loadstream.consumers.alerts.forward;

import io.loadstream.avro.Alert;

/**
 * What a receiver is told about one alert: that it fires, or that it was resolved at a time.
 *
 * @param alert the transition the notice comes from (for a level change, the alert at its earlier
 *     level)
 * @param resolvedAtMs when it was resolved, in window time; null while it fires
 */
public record AlertNotice(Alert alert, Long resolvedAtMs) {

    /** The alert fires. */
    public static AlertNotice firing(Alert alert) {
        return new AlertNotice(alert, null);
    }

    /** The alert was resolved at {@code resolvedAtMs}. */
    public static AlertNotice resolved(Alert alert, long resolvedAtMs) {
        return new AlertNotice(alert, resolvedAtMs);
    }

    public boolean isResolved() {
        return resolvedAtMs != null;
    }
}
