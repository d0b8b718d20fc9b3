package io.loadstream.producers.target;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.schemas.config.Durations;
import java.time.Duration;

/**
 * One fault in a target's schedule, as written in a target or scenario YAML file. Times are
 * relative to the start of the schedule.
 *
 * <pre>{@code
 * faults:
 *   - {type: latency-spike, endpoint: search, start: 10s, duration: 5s, factor: 10}
 *   - {type: error-burst, start: 20s, duration: 3s, percent: 50, status: 503}
 *   - {type: hang, endpoint: checkout, start: 30s, duration: 2s}
 *   - {type: regression, start: 40s, percent: 20}
 *   - {type: recovery, start: 50s}
 * }</pre>
 *
 * @param type what goes wrong
 * @param endpoint the endpoint it affects; every endpoint when absent
 * @param start when it begins, from the start of the schedule
 * @param duration how long it lasts; a regression lasts until a recovery when absent
 * @param factor latency-spike: latency is multiplied by this
 * @param percent error-burst: share of requests answered with {@code status}; regression: latency
 *     increase in percent
 * @param status error-burst: the HTTP status of the failed responses (default 503)
 */
public record FaultSpec(
        @JsonProperty(required = true) FaultType type,
        String endpoint,
        @JsonProperty(required = true) @JsonDeserialize(using = Durations.Deserializer.class)
                Duration start,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration duration,
        double factor,
        double percent,
        int status) {

    /** The kinds of fault. */
    public enum FaultType {
        /** Latency multiplied by {@code factor} for {@code duration}. */
        @JsonProperty("latency-spike")
        LATENCY_SPIKE,
        /** {@code percent} % of responses fail with {@code status} for {@code duration}. */
        @JsonProperty("error-burst")
        ERROR_BURST,
        /** Requests get no answer for {@code duration}, so clients time out. */
        @JsonProperty("hang")
        HANG,
        /** Latency up by {@code percent} % from {@code start}, until a recovery. */
        @JsonProperty("regression")
        REGRESSION,
        /** Every lasting fault ends at {@code start}. */
        @JsonProperty("recovery")
        RECOVERY
    }
}
