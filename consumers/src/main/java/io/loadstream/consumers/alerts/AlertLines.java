package io.loadstream.consumers.alerts;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One readable line per alert transition that people act on: an alert firing, changing level, or
 * resolved. Pending breaches and those that cleared before their {@code for} duration are not
 * shown. Remembers the level each alert fired at, so that a level change says what it was.
 *
 * <pre>
 * 2026-12-03 18:05:53Z FIRING   CRITICAL (was WARNING) rule=p99-checkout run=r1 scenario=shop
 *     endpoint=checkout  p99 812 ms > 500 ms  window 18:05:52-18:05:53
 * </pre>
 *
 * (one line, wrapped here). Times are window time, in UTC.
 */
public final class AlertLines {

    private static final DateTimeFormatter DAY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Map<AlertKey, AlertLevel> firingLevels = new HashMap<>();

    /** The line of {@code alert}'s transition, or empty for a pending or inactive one. */
    public Optional<String> describe(Alert alert) {
        AlertKey key = key(alert);
        AlertLevel before =
                alert.getState() == AlertState.FIRING
                        ? firingLevels.put(key, alert.getLevel())
                        : firingLevels.remove(key);
        if (alert.getState() != AlertState.FIRING && alert.getState() != AlertState.RESOLVED) {
            return Optional.empty();
        }
        String level = alert.getLevel().name();
        if (alert.getState() == AlertState.FIRING && before != null && before != alert.getLevel()) {
            level += " (was " + before.name() + ")";
        }
        return Optional.of(
                String.format(
                        "%s %-8s %s rule=%s run=%s scenario=%s endpoint=%s  %s  %s",
                        DAY_TIME.format(Instant.ofEpochMilli(alert.getSinceMs())),
                        alert.getState().name(),
                        level,
                        alert.getRuleId(),
                        alert.getRunId(),
                        alert.getScenario(),
                        alert.getEndpoint(),
                        comparison(alert),
                        window(alert)));
    }

    /** {@code p99 812 ms > 500 ms}: the value against the threshold, with units. */
    public static String comparison(Alert alert) {
        double value = alert.getValue();
        double threshold = alert.getThreshold();
        String relation = value > threshold ? ">" : value < threshold ? "<" : "=";
        String suffix = alert.getState() == AlertState.RESOLVED ? " (resolve threshold)" : "";
        return alert.getMetric()
                + " "
                + MetricValues.format(alert.getMetric(), value)
                + " "
                + relation
                + " "
                + MetricValues.format(alert.getMetric(), threshold)
                + suffix;
    }

    private static String window(Alert alert) {
        if (alert.getResolutionMs() == 0) {
            return "run so far";
        }
        return "window "
                + TIME.format(Instant.ofEpochMilli(alert.getWindowStartMs()))
                + "-"
                + TIME.format(Instant.ofEpochMilli(alert.getWindowEndMs()));
    }

    /** The key of the alert a transition belongs to. */
    public static AlertKey key(Alert alert) {
        return new AlertKey(
                alert.getRuleId(), alert.getRunId(), alert.getScenario(), alert.getEndpoint());
    }
}
