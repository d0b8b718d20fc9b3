package io.loadstream.producers.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.schemas.config.Durations;
import java.time.Duration;

/**
 * The pass marks of a run, all optional: a run passes when every one given holds over the whole
 * run. Kept in the file now; enforcing them is for a later issue.
 *
 * <pre>{@code
 * thresholds: {p95: 250ms, p99: 500ms, errorRate: 1%, minThroughput: 190}
 * }</pre>
 *
 * @param p95 highest acceptable 95th percentile latency, or null
 * @param p99 highest acceptable 99th percentile latency, or null
 * @param errorRate highest acceptable share of failed requests, from 0 to 1 ({@code 1%} in files),
 *     or null
 * @param minThroughput lowest acceptable rate of completed requests per second, or null
 */
public record Thresholds(
        @JsonDeserialize(using = Durations.Deserializer.class) Duration p95,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration p99,
        @JsonDeserialize(using = Fractions.Deserializer.class) Double errorRate,
        Double minThroughput) {

    public Thresholds {
        FieldChecks.positive(p95, "p95");
        FieldChecks.positive(p99, "p99");
        FieldChecks.fraction(errorRate, "errorRate");
        FieldChecks.positive(minThroughput, "minThroughput");
    }
}
