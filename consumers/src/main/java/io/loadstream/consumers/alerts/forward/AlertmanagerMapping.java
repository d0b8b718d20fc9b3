package io.loadstream.consumers.alerts.forward;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertState;
import io.loadstream.consumers.alerts.AlertLines;
import io.loadstream.consumers.alerts.MetricValues;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert as Alertmanager knows alerts: labels that identify it, annotations for people, when it
 * started and when it ends.
 *
 * <ul>
 *   <li>labels: the rule's labels, then {@code alertname} (the rule id), {@code run}, {@code
 *       scenario}, {@code endpoint}, {@code metric} and {@code severity} ({@code warning} or {@code
 *       critical}), which win over a rule label of the same name. A level change is therefore a new
 *       alert in Alertmanager, as with Prometheus rules per severity.
 *   <li>annotations: {@code summary}, {@code description}, {@code value} and {@code threshold},
 *       then the rule's annotations, which win.
 *   <li>startsAt: the episode's start ({@code activeSinceMs}); endsAt: for a resolved alert the
 *       time it was resolved; for a firing one the time of sending plus the resend margin, as
 *       Prometheus sends (four resend intervals), so that Alertmanager resolves it only if the
 *       forwarder stops re-sending.
 * </ul>
 */
public final class AlertmanagerMapping {

    private final Duration resendMargin;
    private final String generatorUrl;

    /**
     * @param resendMargin how far past the time of sending a firing alert's endsAt lies
     * @param generatorUrl base of each alert's generatorURL (query parameters rule, run, scenario
     *     and endpoint are added), or null for none
     */
    public AlertmanagerMapping(Duration resendMargin, String generatorUrl) {
        this.resendMargin = resendMargin;
        this.generatorUrl = generatorUrl == null || generatorUrl.isBlank() ? null : generatorUrl;
    }

    /** The labels that identify {@code alert} in Alertmanager, in name order. */
    public Map<String, String> labels(Alert alert) {
        Map<String, String> labels = new TreeMap<>();
        alert.getLabels().forEach((name, value) -> labels.put(name.toString(), value.toString()));
        labels.put("alertname", alert.getRuleId());
        labels.put("run", alert.getRunId());
        labels.put("scenario", alert.getScenario());
        labels.put("endpoint", alert.getEndpoint());
        labels.put("metric", alert.getMetric());
        labels.put("severity", alert.getLevel().name().toLowerCase(Locale.ROOT));
        return labels;
    }

    /** What people read about the notice's alert. */
    public Map<String, String> annotations(AlertNotice notice) {
        Alert alert = notice.alert();
        Map<String, String> annotations = new LinkedHashMap<>();
        String level = alert.getLevel().name().toLowerCase(Locale.ROOT);
        String where =
                alert.getEndpoint()
                        + " of run "
                        + alert.getRunId()
                        + " ("
                        + alert.getScenario()
                        + ")";
        String what = AlertLines.comparison(alert);
        annotations.put(
                "summary",
                notice.isResolved() && alert.getState() != AlertState.RESOLVED
                        ? level + " ended, now at another level: " + where
                        : (notice.isResolved() ? "resolved: " : level + ": ")
                                + what
                                + " on "
                                + where);
        annotations.put(
                "description",
                "Rule "
                        + alert.getRuleId()
                        + " on "
                        + where
                        + ": "
                        + alert.getMetric()
                        + " was "
                        + MetricValues.format(alert.getMetric(), alert.getValue())
                        + (alert.getResolutionMs() == 0
                                ? " over the run so far"
                                : " in the window from "
                                        + Instant.ofEpochMilli(alert.getWindowStartMs())
                                        + " to "
                                        + Instant.ofEpochMilli(alert.getWindowEndMs()))
                        + ", "
                        + (alert.getState() == AlertState.RESOLVED ? "resolve" : level)
                        + " threshold "
                        + MetricValues.format(alert.getMetric(), alert.getThreshold())
                        + ".");
        annotations.put("value", MetricValues.format(alert.getMetric(), alert.getValue()));
        annotations.put("threshold", MetricValues.format(alert.getMetric(), alert.getThreshold()));
        alert.getAnnotations()
                .forEach((name, value) -> annotations.put(name.toString(), value.toString()));
        return annotations;
    }

    /** When the episode began: Alertmanager's startsAt. */
    public Instant startsAt(AlertNotice notice) {
        return Instant.ofEpochMilli(notice.alert().getActiveSinceMs());
    }

    /**
     * Alertmanager's endsAt: the resolve time of a resolved notice; for a firing one {@code nowMs}
     * (or the start, if that lies ahead) plus the resend margin. Never before the start.
     */
    public Instant endsAt(AlertNotice notice, long nowMs) {
        long start = notice.alert().getActiveSinceMs();
        if (notice.isResolved()) {
            return Instant.ofEpochMilli(Math.max(start, notice.resolvedAtMs()));
        }
        return Instant.ofEpochMilli(Math.max(start, nowMs) + resendMargin.toMillis());
    }

    /** Where the alert comes from, or null when no base URL was given. */
    public String generatorUrl(Alert alert) {
        if (generatorUrl == null) {
            return null;
        }
        return generatorUrl
                + (generatorUrl.contains("?") ? "&" : "?")
                + "rule="
                + encode(alert.getRuleId())
                + "&run="
                + encode(alert.getRunId())
                + "&scenario="
                + encode(alert.getScenario())
                + "&endpoint="
                + encode(alert.getEndpoint());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
