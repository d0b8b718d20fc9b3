package io.loadstream.producers.target;

import static java.util.stream.Collectors.joining;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.schemas.config.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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

    /** HTTP status of an error burst that gives none. */
    public static final int DEFAULT_BURST_STATUS = 503;

    /** Whether this fault affects {@code endpointName}: it names it, or names no endpoint. */
    public boolean appliesTo(String endpointName) {
        return endpoint == null || endpoint.equals(endpointName);
    }

    /**
     * The HTTP status of an error burst's failed responses, {@link #DEFAULT_BURST_STATUS} if unset.
     */
    public int burstStatus() {
        return status == 0 ? DEFAULT_BURST_STATUS : status;
    }

    /**
     * Checks that the fields fit the type: the values a type needs are given and in range, and no
     * value of another type is given (a {@code percent} on a latency spike is most likely a
     * mistake).
     *
     * @throws IllegalArgumentException starting with the name of the offending field
     */
    public void validate() {
        if (type == null) {
            throw new IllegalArgumentException("type is required: one of " + FaultType.yamlNames());
        }
        if (start == null) {
            throw new IllegalArgumentException("start is required, such as 20s");
        }
        if (start.isNegative()) {
            throw new IllegalArgumentException(
                    "start must not be negative, not " + DurationText.of(start));
        }
        if (endpoint != null && endpoint.isBlank()) {
            throw new IllegalArgumentException(
                    "endpoint must not be empty: leave it out to affect every endpoint");
        }
        boolean durationNeeded = type != FaultType.REGRESSION && type != FaultType.RECOVERY;
        if (durationNeeded && duration == null) {
            throw new IllegalArgumentException("duration is required for a " + type.yamlName());
        }
        if (type == FaultType.RECOVERY && duration != null) {
            throw new IllegalArgumentException("duration does not apply to a recovery");
        }
        if (duration != null && duration.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "duration must be at least 1ms, not " + DurationText.of(duration));
        }
        requireOnlyFor("factor", factor != 0, FaultType.LATENCY_SPIKE);
        requireOnlyFor("percent", percent != 0, FaultType.ERROR_BURST, FaultType.REGRESSION);
        requireOnlyFor("status", status != 0, FaultType.ERROR_BURST);
        switch (type) {
            case LATENCY_SPIKE -> {
                if (!(factor > 0)) {
                    throw new IllegalArgumentException(
                            "factor is required for a latency-spike and must be positive");
                }
            }
            case ERROR_BURST -> {
                if (!(percent > 0 && percent <= 100)) {
                    throw new IllegalArgumentException(
                            "percent of an error-burst must be above 0 and at most 100, not "
                                    + percent);
                }
                if (burstStatus() < 400 || burstStatus() > 599) {
                    throw new IllegalArgumentException(
                            "status of an error-burst must be an HTTP error, 400 to 599, not "
                                    + status);
                }
            }
            case REGRESSION -> {
                if (!(percent > 0)) {
                    throw new IllegalArgumentException(
                            "percent is required for a regression (latency +percent%) and must"
                                    + " be positive");
                }
            }
            case HANG, RECOVERY -> {}
        }
    }

    /** One line for people, such as {@code latency-spike on search at 20s for 5s: latency x8}. */
    public String describe() {
        String where = endpoint == null ? "all endpoints" : endpoint;
        String when =
                " at "
                        + DurationText.of(start)
                        + (duration == null ? "" : " for " + DurationText.of(duration));
        String what =
                switch (type) {
                    case LATENCY_SPIKE -> "latency x" + number(factor);
                    case ERROR_BURST ->
                            number(percent) + "% of responses fail with " + burstStatus();
                    case HANG -> "requests get no answer until it ends";
                    case REGRESSION ->
                            "latency +"
                                    + number(percent)
                                    + "%"
                                    + (duration == null ? " until a recovery" : "");
                    case RECOVERY -> "ends the regressions in effect";
                };
        return type.yamlName() + " on " + where + when + ": " + what;
    }

    private void requireOnlyFor(String field, boolean given, FaultType... types) {
        if (given && !List.of(types).contains(type)) {
            throw new IllegalArgumentException(field + " does not apply to a " + type.yamlName());
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

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
        RECOVERY;

        /** The names of the types in YAML files, such as {@code latency-spike, error-burst}. */
        public static String yamlNames() {
            return Arrays.stream(values()).map(FaultType::yamlName).collect(joining(", "));
        }

        /** The name of the type in YAML files, such as {@code latency-spike}. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
