package io.loadstream.analytics.alerting;

import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Optional;

/**
 * The state of one alert (one rule on one endpoint of one run), judged on final windows in window
 * time: inactive → pending → firing → resolved, and pending again on a new breach.
 *
 * <ul>
 *   <li>A window that breaches a level starts an episode: the alert is pending until the breach has
 *       gone on for {@code forMs} of window time after the end of its first breaching window (as
 *       Prometheus counts {@code for} from the first evaluation that breached), then fires; with
 *       {@code forMs} 0 it fires on the first breaching window. A window that does not breach while
 *       pending makes it INACTIVE.
 *   <li>A firing alert whose value moves to another level fires again at that level. It resolves
 *       once the value has been back past the resolve threshold for {@code keepFiringForMs} of
 *       window time after the end of the first cleared window (0 resolves on that window); a value
 *       between the resolve threshold and the lowest level neither breaches nor counts as cleared,
 *       so it keeps firing.
 *   <li>A window with fewer than {@code minCount} requests is not judged: it neither breaches nor
 *       clears. Windows that are missing (no requests) are not judged either.
 *   <li>A window that ends no later than the last judged one is ignored: analyze emits each
 *       endpoint's final windows in window order, so this only guards against a window judged again
 *       (after a rule's resolution changed, or a run reopened by a late partial).
 * </ul>
 *
 * <p>Every change of state or level is a transition, numbered by {@code sequence}. Rule conditions
 * are passed at each judgement, so a rule changed mid-run applies from the next window on.
 *
 * <pre>{@code
 * AlertStateMachine alert = new AlertStateMachine();
 * alert.judge(conditions, new JudgedWindow(0, 1000, 500, 650_000));  // FIRING, CRITICAL
 * alert.judge(conditions, new JudgedWindow(1000, 2000, 500, 90_000)); // RESOLVED
 * }</pre>
 */
public final class AlertStateMachine {

    private static final long NONE = Long.MIN_VALUE;
    private static final byte FORMAT = 1;

    private AlertState state = AlertState.INACTIVE;
    private AlertLevel level;
    private long sinceMs = NONE;
    private long activeSinceMs = NONE;
    private long breachSeenMs = NONE;
    private long clearedSinceMs = NONE;
    private long lastStartMs = NONE;
    private long lastEndMs = NONE;
    private double lastValue = Double.NaN;
    private double lastThreshold = Double.NaN;
    private long sequence;
    private int episodes;
    private AlertLevel worstLevel;

    /** An alert that has never been judged: INACTIVE, no transition yet. */
    public AlertStateMachine() {}

    /**
     * Judges {@code window} against {@code conditions}.
     *
     * @return the transition it causes, or empty when the state and level stay as they were (or the
     *     window is not judged)
     */
    public Optional<AlertTransition> judge(AlertConditions conditions, JudgedWindow window) {
        if (window.endMs() <= lastEndMs || window.count() < conditions.minCount()) {
            return Optional.empty();
        }
        lastStartMs = window.startMs();
        lastEndMs = window.endMs();
        lastValue = window.value();
        Optional<AlertLevel> breached = conditions.levels().breached(window.value());
        return switch (state) {
            case INACTIVE, RESOLVED -> breached.flatMap(l -> startEpisode(conditions, l, window));
            case PENDING ->
                    breached.isPresent()
                            ? whilePending(conditions, breached.get(), window)
                            : Optional.of(enter(AlertState.INACTIVE, level, lastThreshold));
            case FIRING -> whileFiring(conditions, breached, window);
        };
    }

    /**
     * Ends the alert from outside its windows (its run ended, its rule was deleted or disabled): a
     * pending alert becomes INACTIVE and a firing one RESOLVED at {@code atMs}, with the last
     * judged window's value and the threshold of its last transition.
     *
     * @return the transition, or empty when the alert was neither pending nor firing
     */
    public Optional<AlertTransition> end(long atMs) {
        if (!isActive()) {
            return Optional.empty();
        }
        AlertState ended = state == AlertState.PENDING ? AlertState.INACTIVE : AlertState.RESOLVED;
        return Optional.of(enter(ended, level, lastThreshold, Math.max(atMs, lastEndMs)));
    }

    /** Whether the alert is pending or firing. */
    public boolean isActive() {
        return state == AlertState.PENDING || state == AlertState.FIRING;
    }

    public AlertState state() {
        return state;
    }

    /** Transitions so far. */
    public long sequence() {
        return sequence;
    }

    private Optional<AlertTransition> startEpisode(
            AlertConditions conditions, AlertLevel breached, JudgedWindow window) {
        activeSinceMs = window.startMs();
        breachSeenMs = window.endMs();
        clearedSinceMs = NONE;
        if (conditions.forMs() == 0) {
            return Optional.of(fire(conditions, breached));
        }
        return Optional.of(
                enter(AlertState.PENDING, breached, conditions.levels().threshold(breached)));
    }

    private Optional<AlertTransition> whilePending(
            AlertConditions conditions, AlertLevel breached, JudgedWindow window) {
        if (window.endMs() - breachSeenMs >= conditions.forMs()) {
            return Optional.of(fire(conditions, breached));
        }
        if (breached != level) {
            return Optional.of(
                    enter(AlertState.PENDING, breached, conditions.levels().threshold(breached)));
        }
        return Optional.empty();
    }

    private Optional<AlertTransition> whileFiring(
            AlertConditions conditions, Optional<AlertLevel> breached, JudgedWindow window) {
        if (breached.isPresent()) {
            clearedSinceMs = NONE;
            return breached.get() != level
                    ? Optional.of(fire(conditions, breached.get()))
                    : Optional.empty();
        }
        if (!conditions.levels().resolves(window.value())) {
            clearedSinceMs = NONE;
            return Optional.empty();
        }
        if (clearedSinceMs == NONE) {
            clearedSinceMs = window.endMs();
        }
        if (window.endMs() - clearedSinceMs < conditions.keepFiringForMs()) {
            return Optional.empty();
        }
        return Optional.of(
                enter(AlertState.RESOLVED, level, conditions.levels().resolveThreshold()));
    }

    /** Fires at {@code breached}: a new episode, or a firing alert changing level. */
    private AlertTransition fire(AlertConditions conditions, AlertLevel breached) {
        if (state != AlertState.FIRING) {
            episodes++;
        }
        if (worstLevel == null || breached.compareTo(worstLevel) > 0) {
            worstLevel = breached;
        }
        return enter(AlertState.FIRING, breached, conditions.levels().threshold(breached));
    }

    private AlertTransition enter(AlertState next, AlertLevel nextLevel, double threshold) {
        return enter(next, nextLevel, threshold, lastEndMs);
    }

    private AlertTransition enter(
            AlertState next, AlertLevel nextLevel, double threshold, long atMs) {
        state = next;
        level = nextLevel;
        sinceMs = atMs;
        lastThreshold = threshold;
        sequence++;
        return new AlertTransition(
                state,
                level,
                lastValue,
                threshold,
                sinceMs,
                activeSinceMs,
                lastStartMs,
                lastEndMs,
                sequence,
                episodes,
                worstLevel);
    }

    /** Writes the whole state, for the alert store. */
    void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        out.writeByte(state.ordinal());
        out.writeByte(level == null ? -1 : level.ordinal());
        out.writeByte(worstLevel == null ? -1 : worstLevel.ordinal());
        out.writeLong(sinceMs);
        out.writeLong(activeSinceMs);
        out.writeLong(breachSeenMs);
        out.writeLong(clearedSinceMs);
        out.writeLong(lastStartMs);
        out.writeLong(lastEndMs);
        out.writeDouble(lastValue);
        out.writeDouble(lastThreshold);
        out.writeLong(sequence);
        out.writeInt(episodes);
    }

    /** Reads a state that {@link #writeTo} wrote. */
    static AlertStateMachine readFrom(DataInput in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("alert state in an unknown format " + format);
        }
        AlertStateMachine alert = new AlertStateMachine();
        alert.state = AlertState.values()[in.readByte()];
        alert.level = levelOf(in.readByte());
        alert.worstLevel = levelOf(in.readByte());
        alert.sinceMs = in.readLong();
        alert.activeSinceMs = in.readLong();
        alert.breachSeenMs = in.readLong();
        alert.clearedSinceMs = in.readLong();
        alert.lastStartMs = in.readLong();
        alert.lastEndMs = in.readLong();
        alert.lastValue = in.readDouble();
        alert.lastThreshold = in.readDouble();
        alert.sequence = in.readLong();
        alert.episodes = in.readInt();
        return alert;
    }

    private static AlertLevel levelOf(byte ordinal) {
        return ordinal < 0 ? null : AlertLevel.values()[ordinal];
    }
}
