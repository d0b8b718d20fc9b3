package io.loadstream.consumers.alerts;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import java.util.Map;

/** Alert transitions for tests: a p99 rule on endpoint checkout of run r1, 1 s windows. */
public final class TestAlerts {

    /** A window start, in window time. */
    public static final long T0 = 1_764_784_000_000L;

    private TestAlerts() {}

    /**
     * A transition of the p99 rule on {@code endpoint}, caused by the window starting {@code
     * windowStart}.
     */
    public static Alert.Builder alert(
            String endpoint, AlertState state, AlertLevel level, long sequence, long windowStart) {
        return Alert.newBuilder()
                .setRuleId("p99-" + endpoint)
                .setRunId("r1")
                .setScenario("shop")
                .setEndpoint(endpoint)
                .setState(state)
                .setLevel(level)
                .setMetric("p99")
                .setValue(state == AlertState.RESOLVED ? 240_000 : 812_400)
                .setThreshold(state == AlertState.RESOLVED ? 250_000 : 500_000)
                .setSinceMs(windowStart + 1_000)
                .setActiveSinceMs(T0)
                .setWindowStartMs(windowStart)
                .setWindowEndMs(windowStart + 1_000)
                .setResolutionMs(1_000)
                .setSequence(sequence)
                .setEpisodes(state == AlertState.PENDING ? 0 : 1)
                .setLabels(Map.of("team", "payments"))
                .setAnnotations(Map.of("runbook", "https://runbooks.example/p99"))
                .setEmittedAtMs(windowStart + 3_000);
    }

    public static Alert firing(String endpoint, AlertLevel level, long sequence, long windowStart) {
        return alert(endpoint, AlertState.FIRING, level, sequence, windowStart).build();
    }
}
