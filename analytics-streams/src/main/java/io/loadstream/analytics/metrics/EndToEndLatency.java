package io.loadstream.analytics.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The pipeline's end-to-end latency: from a timing event's intended send time to the {@code
 * window-stats} record that includes it being written, in milliseconds. Stream threads record
 * concurrently; the metrics publisher takes what was recorded since its previous take.
 *
 * <pre>{@code
 * EndToEndLatency latency = new EndToEndLatency();
 * latency.record(System.currentTimeMillis() - newestIntendedSendMs); // stream thread
 * Histogram interval = latency.takeInterval(); // publisher, every few seconds
 * long p99 = interval.getValueAtPercentile(99);
 * }</pre>
 */
public final class EndToEndLatency {

    /** Highest latency tracked: one hour in milliseconds. Larger values are clamped to it. */
    public static final long HIGHEST_TRACKABLE_MS = 3_600_000L;

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_MS, SIGNIFICANT_DIGITS);

    /**
     * Records one latency; values above one hour count as one hour, negative ones (clocks of
     * generator and stream hosts apart) as zero. Safe to call from any number of threads.
     */
    public void record(long latencyMs) {
        recorder.recordValue(Math.max(0, Math.min(latencyMs, HIGHEST_TRACKABLE_MS)));
    }

    /**
     * The latencies recorded since the previous call (or since creation), as a new histogram that
     * the caller owns.
     */
    public synchronized Histogram takeInterval() {
        return recorder.getIntervalHistogram();
    }
}
