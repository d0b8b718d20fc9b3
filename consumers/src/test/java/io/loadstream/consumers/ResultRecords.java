package io.loadstream.consumers;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Results records as {@code analyze} writes them, with the figures a test chooses: run summaries
 * and windows of the {@code it} scenario. Latencies are microseconds.
 */
public final class ResultRecords {

    public static final String SCENARIO = "it";

    private ResultRecords() {}

    public static RunKey runKey(String runId, String endpoint) {
        return new RunKey(runId, SCENARIO, endpoint);
    }

    /** The whole run so far of one endpoint, counting {@code count} requests. */
    public static WindowStats summary(String runId, String endpoint, long count) {
        return stats(runId, endpoint, 0, 1_000, count).setFinal$(false).build();
    }

    public static WindowKey windowKey(WindowStats window) {
        return new WindowKey(
                window.getRunId(),
                window.getScenario(),
                window.getEndpoint(),
                window.getResolutionMs(),
                window.getWindowStartMs());
    }

    /** A window of {@code resolutionMs} starting at {@code startMs}. */
    public static WindowStats window(
            String runId, String endpoint, long resolutionMs, long startMs, boolean isFinal) {
        return stats(runId, endpoint, resolutionMs, startMs, 100).setFinal$(isFinal).build();
    }

    /**
     * Figures that tell the fields apart: p50 1.5 ms, p90 2 ms, p95 2.5 ms, p99 4.75 ms, p99.9 8
     * ms, max 12.345 ms, raw p99 3.25 ms; 1 % errors, 100 req/s.
     */
    public static WindowStats.Builder stats(
            String runId, String endpoint, long resolutionMs, long startMs, long count) {
        return WindowStats.newBuilder()
                .setRunId(runId)
                .setScenario(SCENARIO)
                .setEndpoint(endpoint)
                .setResolutionMs(resolutionMs)
                .setWindowStartMs(startMs)
                .setWindowEndMs(startMs + Math.max(resolutionMs, 1_000))
                .setCount(count)
                .setErrors(count / 100)
                .setOutcomeCounts(Map.of("SUCCESS", count - count / 100, "TIMEOUT", count / 100))
                .setErrorRate(count == 0 ? 0 : (count / 100) / (double) count)
                .setThroughput(100.0)
                .setMeanUs(1_800.0)
                .setMinUs(250)
                .setP50Us(1_500)
                .setP90Us(2_000)
                .setP95Us(2_500)
                .setP99Us(4_750)
                .setP999Us(8_000)
                .setMaxUs(12_345)
                .setUncorrectedP99Us(3_250)
                .setLate(0)
                .setHistogram(ByteBuffer.wrap(new byte[0]));
    }
}
