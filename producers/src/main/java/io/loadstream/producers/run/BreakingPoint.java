package io.loadstream.producers.run;

import io.loadstream.producers.scenario.StopCondition;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a stress test has reached its breaking point: the error rate or the p99 of the
 * last few seconds has passed the scenario's {@code stopWhen} limits. The answer says where, for
 * the report.
 */
public final class BreakingPoint {

    private BreakingPoint() {}

    /**
     * @param errorRate share of failed requests over the recent window
     * @param p99Us p99 latency over the recent window, microseconds
     * @param target what the schedule asked for at the time, for example {@code 1200 req/s}
     * @return the breaking point, or empty while the limits hold
     */
    public static Optional<String> check(
            StopCondition limits, double errorRate, long p99Us, String target, Duration elapsed) {
        String at = "at " + target + " after " + elapsed.toSeconds() + "s";
        if (limits.errorRate() != null && errorRate > limits.errorRate()) {
            return Optional.of(
                    String.format(
                            Locale.ROOT,
                            "%s: error rate %.2f%% passed %.2f%%",
                            at,
                            errorRate * 100,
                            limits.errorRate() * 100));
        }
        if (limits.p99() != null && p99Us > limits.p99().toNanos() / 1000) {
            return Optional.of(
                    String.format(
                            Locale.ROOT,
                            "%s: p99 %.1f ms passed %d ms",
                            at,
                            p99Us / 1000.0,
                            limits.p99().toMillis()));
        }
        return Optional.empty();
    }
}
