package io.loadstream.producers.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.schemas.config.Durations;
import java.time.Duration;

/**
 * When a run stops early: as soon as the error rate or the 99th percentile latency, measured over
 * the last {@code window}, passes its limit. A stress test uses it to stop at the breaking point
 * and report the load it was under, instead of hammering a broken service to the end.
 *
 * <pre>{@code
 * stopWhen: {errorRate: 5%, p99: 1s, window: 10s}
 * }</pre>
 *
 * @param errorRate share of failed requests, from 0 to 1 ({@code 5%} in files), at which the run
 *     stops; null for no limit
 * @param p99 99th percentile latency at which the run stops; null for no limit
 * @param window how much recent time the error rate and percentile are measured over (default 5s)
 */
public record StopCondition(
        @JsonDeserialize(using = Fractions.Deserializer.class) Double errorRate,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration p99,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration window) {

    /** Measuring window when the file gives none. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(5);

    public StopCondition {
        if (errorRate == null && p99 == null) {
            throw new InvalidFieldException("errorRate", "give errorRate, p99 or both");
        }
        FieldChecks.fraction(errorRate, "errorRate");
        FieldChecks.positive(p99, "p99");
        window = FieldChecks.positive(window == null ? DEFAULT_WINDOW : window, "window");
    }
}
