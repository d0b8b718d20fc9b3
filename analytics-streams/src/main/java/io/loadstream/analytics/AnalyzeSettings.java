package io.loadstream.analytics;

import java.time.Duration;

/**
 * What the analytics topology computes.
 *
 * @param window size of the tumbling event-time windows (default 1 s)
 * @param grace how long after a window's end events are still added to it (default 2 s)
 * @param emitInterval how often windows and run totals that changed are emitted early (default 1 s)
 */
public record AnalyzeSettings(Duration window, Duration grace, Duration emitInterval) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);
    public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofSeconds(1);

    public AnalyzeSettings {
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms, not " + window);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, not " + grace);
        }
        if (emitInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "emit interval must be at least 1 ms, not " + emitInterval);
        }
    }

    public static AnalyzeSettings defaults() {
        return new AnalyzeSettings(DEFAULT_WINDOW, DEFAULT_GRACE, DEFAULT_EMIT_INTERVAL);
    }
}
