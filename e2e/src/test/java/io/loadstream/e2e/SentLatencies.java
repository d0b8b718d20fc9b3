package io.loadstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Every request a test sent, recorded as the pipeline should record it, in one HdrHistogram per 1 s
 * window and one per endpoint's run: what the pipeline's windows, rollups and run totals must equal
 * exactly, however the requests travelled (raw events or histogram partials, whichever task).
 */
final class SentLatencies {

    static final long WINDOW_MS = 1000;

    private final Map<WindowKey, Histogram> windows = new HashMap<>();
    private final Map<WindowKey, Long> errors = new HashMap<>();
    private final Map<String, Histogram> runs = new HashMap<>();

    /** Adds one request to its 1 s window (by intended send time) and to its endpoint's run. */
    synchronized void record(RequestTiming timing) {
        long startMs = Math.floorDiv(timing.getIntendedSendTimeUs(), WINDOW_MS * 1000) * WINDOW_MS;
        WindowKey key =
                new WindowKey(
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        WINDOW_MS,
                        startMs);
        // latency from the intended send time: what a user would have waited
        long delayUs = Math.max(0, timing.getActualSendTimeUs() - timing.getIntendedSendTimeUs());
        long correctedUs = timing.getLatencyUs() + delayUs;
        windows.computeIfAbsent(key, k -> new Histogram(3)).recordValue(correctedUs);
        runs.computeIfAbsent(timing.getEndpoint(), k -> new Histogram(3)).recordValue(correctedUs);
        if (timing.getOutcome() != Outcome.SUCCESS) {
            errors.merge(key, 1L, Long::sum);
        }
    }

    /** The 1 s windows. */
    synchronized Map<WindowKey, Histogram> windows() {
        return Map.copyOf(windows);
    }

    /** Requests of a 1 s window whose outcome is not SUCCESS. */
    synchronized long errors(WindowKey window) {
        return errors.getOrDefault(window, 0L);
    }

    /** The whole run of an endpoint. */
    synchronized Histogram run(String endpoint) {
        return runs.get(endpoint);
    }

    synchronized long total() {
        return windows.values().stream().mapToLong(Histogram::getTotalCount).sum();
    }

    /** Windows of each of {@code rollupsMs}, each the union of the 1 s windows in it. */
    synchronized Map<WindowKey, Histogram> rollups(List<Long> rollupsMs) {
        Map<WindowKey, Histogram> rollups = new HashMap<>();
        for (long resolutionMs : rollupsMs) {
            windows.forEach(
                    (key, histogram) -> {
                        long startMs =
                                Math.floorDiv(key.getWindowStartMs(), resolutionMs) * resolutionMs;
                        WindowKey rollup =
                                new WindowKey(
                                        key.getRunId(),
                                        key.getScenario(),
                                        key.getEndpoint(),
                                        resolutionMs,
                                        startMs);
                        rollups.computeIfAbsent(rollup, k -> new Histogram(3)).add(histogram);
                    });
        }
        return rollups;
    }

    /** The 1 s windows and those of each of {@code rollupsMs}. */
    synchronized Set<WindowKey> allWindowKeys(List<Long> rollupsMs) {
        Set<WindowKey> keys = new HashSet<>(windows.keySet());
        keys.addAll(rollups(rollupsMs).keySet());
        return keys;
    }

    /**
     * {@code stats} holds exactly the requests of {@code want}: count, percentiles, min and max.
     */
    static void assertSameLatencies(WindowStats stats, Histogram want, String what) {
        assertThat(stats).as(what).isNotNull();
        assertThat(stats.getCount()).as("count of %s", what).isEqualTo(want.getTotalCount());
        assertThat(stats.getP50Us()).as("p50 of %s", what).isEqualTo(want.getValueAtPercentile(50));
        assertThat(stats.getP90Us()).as("p90 of %s", what).isEqualTo(want.getValueAtPercentile(90));
        assertThat(stats.getP95Us()).as("p95 of %s", what).isEqualTo(want.getValueAtPercentile(95));
        assertThat(stats.getP99Us()).as("p99 of %s", what).isEqualTo(want.getValueAtPercentile(99));
        assertThat(stats.getP999Us())
                .as("p99.9 of %s", what)
                .isEqualTo(want.getValueAtPercentile(99.9));
        assertThat(stats.getMaxUs()).as("max of %s", what).isEqualTo(want.getMaxValue());
        assertThat(stats.getMinUs()).as("min of %s", what).isEqualTo(want.getMinValue());
    }
}
