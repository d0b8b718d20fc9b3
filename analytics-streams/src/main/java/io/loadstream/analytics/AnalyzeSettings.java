package io.loadstream.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the analytics topology computes.
 *
 * @param window size of the smallest tumbling event-time windows (default 1 s)
 * @param grace how long after a window's end (in the event time of the generator that sent the
 *     event) stage 1 still adds events to it; later events are late (default 2 s)
 * @param idleTimeout how long stage 1 keeps the clock of a generator that has fallen silent (so
 *     that it holds the task's progress back no longer), how long stage 2 waits for a source of
 *     partials (a stage 1 task, or a generator in histogram mode) that has fallen silent before it
 *     stops holding windows open for it, and for a run that has fallen silent before it closes all
 *     its windows: the last windows of a run become final this long after its last partial, and a
 *     restarted instance or a stalled pipeline has this long to resume (default 60 s; it must
 *     exceed the consumers' session timeout, after which the tasks of an instance that died move)
 * @param emitInterval how often changes are forwarded: stage 1's partials, stage 2's early window
 *     and run totals (default 1 s)
 * @param rollups larger window sizes built by merging the smallest windows' histograms; each a
 *     multiple of {@code window} (default 10 s and 1 min)
 * @param runRetention how long stage 2 keeps a finished run's state (its total and closing marks)
 *     after the run closed (fell silent for the idle timeout, all its windows final); then the
 *     state is deleted from the stores, and the run's summary lives on in {@code run-summaries}
 *     (default 1 h). A partial of the run arriving later than that finds the run gone.
 */
public record AnalyzeSettings(
        Duration window,
        Duration grace,
        Duration idleTimeout,
        Duration emitInterval,
        List<Duration> rollups,
        Duration runRetention) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    /**
     * Longer than a failover takes: when an instance dies, its tasks move only after its consumers'
     * session times out (45 s by default), and their partials must not be taken for silence.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofSeconds(1);
    public static final List<Duration> DEFAULT_ROLLUPS =
            List.of(Duration.ofSeconds(10), Duration.ofMinutes(1));

    public static final Duration DEFAULT_RUN_RETENTION = Duration.ofHours(1);

    public AnalyzeSettings {
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms, not " + window);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, not " + grace);
        }
        if (idleTimeout.compareTo(emitInterval) <= 0) {
            throw new IllegalArgumentException(
                    "idle timeout ("
                            + idleTimeout
                            + ") must be longer than the emit interval ("
                            + emitInterval
                            + "): every source would look silent between two partials");
        }
        if (emitInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "emit interval must be at least 1 ms, not " + emitInterval);
        }
        for (Duration rollup : rollups) {
            if (rollup.toMillis() <= window.toMillis()
                    || rollup.toMillis() % window.toMillis() != 0) {
                throw new IllegalArgumentException(
                        "rollup " + rollup + " must be a larger multiple of the window " + window);
            }
        }
        if (runRetention.isNegative()) {
            throw new IllegalArgumentException(
                    "run retention must not be negative, not " + runRetention);
        }
        rollups = List.copyOf(rollups);
    }

    /** These settings with the default run retention. */
    public AnalyzeSettings(
            Duration window,
            Duration grace,
            Duration idleTimeout,
            Duration emitInterval,
            List<Duration> rollups) {
        this(window, grace, idleTimeout, emitInterval, rollups, DEFAULT_RUN_RETENTION);
    }

    /** Defaults, with the given window, grace and emit interval. */
    public AnalyzeSettings(Duration window, Duration grace, Duration emitInterval) {
        this(window, grace, DEFAULT_IDLE_TIMEOUT, emitInterval, defaultRollups(window));
    }

    public static AnalyzeSettings defaults() {
        return new AnalyzeSettings(DEFAULT_WINDOW, DEFAULT_GRACE, DEFAULT_EMIT_INTERVAL);
    }

    /** The window sizes stage 2 emits, the smallest first. */
    public List<Duration> resolutions() {
        List<Duration> all = new ArrayList<>();
        all.add(window);
        rollups.stream().sorted().distinct().forEach(all::add);
        return all;
    }

    /** The default rollups that are larger multiples of {@code window}. */
    public static List<Duration> defaultRollups(Duration window) {
        return DEFAULT_ROLLUPS.stream()
                .filter(r -> r.toMillis() > window.toMillis())
                .filter(r -> r.toMillis() % window.toMillis() == 0)
                .toList();
    }
}
