package io.loadstream.consumers.alerts;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertLevel;
import io.loadstream.schemas.rules.GlobPattern;

/**
 * Which alerts a consumer shows or acts on: those of runs matching a pattern (null: every run) at a
 * level at least as high as the one given ({@code WARNING}: both levels).
 *
 * @param runs glob pattern of run ids, or null for every run
 * @param minimumLevel the lowest level accepted
 */
public record AlertFilter(GlobPattern runs, AlertLevel minimumLevel) {

    /** Every alert of every run. */
    public static final AlertFilter ALL = new AlertFilter(null, AlertLevel.WARNING);

    /** The filter of {@code run} (a glob pattern, or null) and {@code minimumLevel}. */
    public static AlertFilter of(String run, AlertLevel minimumLevel) {
        return new AlertFilter(
                run == null ? null : GlobPattern.of(run),
                minimumLevel == null ? AlertLevel.WARNING : minimumLevel);
    }

    public boolean accepts(Alert alert) {
        return (runs == null || runs.matches(alert.getRunId()))
                && atLeast(alert.getLevel(), minimumLevel);
    }

    /** Whether {@code level} is {@code minimum} or higher (CRITICAL is above WARNING). */
    public static boolean atLeast(AlertLevel level, AlertLevel minimum) {
        return level.ordinal() >= minimum.ordinal();
    }

    /** {@code warning} or {@code critical}, as options take it, case-insensitive. */
    public static AlertLevel parseLevel(String text) {
        for (AlertLevel level : AlertLevel.values()) {
            if (level.name().equalsIgnoreCase(text.trim())) {
                return level;
            }
        }
        throw new IllegalArgumentException(
                "the level must be warning or critical, not '" + text + "'");
    }
}
