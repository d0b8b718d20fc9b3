package io.loadstream.analytics.alerting;

import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;

/**
 * A change of an alert's state or level, as {@link AlertStateMachine} makes it; the fields of the
 * {@code Alert} record that the rule and the key do not give.
 *
 * @param state the state entered
 * @param level the level breached (for INACTIVE and RESOLVED, the level it had before)
 * @param value the metric's value in the window that caused the change
 * @param threshold the level's threshold (for RESOLVED, the resolve threshold)
 * @param sinceMs when the state was entered, in window time: the end of that window
 * @param activeSinceMs the start of the episode's first breaching window
 * @param windowStartMs start of the window that caused the change
 * @param windowEndMs end of that window
 * @param sequence changes of this alert so far, this one included
 * @param episodes times the alert has fired so far
 * @param worstLevel the highest level it has fired at, null if it never fired
 */
public record AlertTransition(
        AlertState state,
        AlertLevel level,
        double value,
        double threshold,
        long sinceMs,
        long activeSinceMs,
        long windowStartMs,
        long windowEndMs,
        long sequence,
        int episodes,
        AlertLevel worstLevel) {}
