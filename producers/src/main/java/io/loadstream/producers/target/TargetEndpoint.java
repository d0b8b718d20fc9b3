package io.loadstream.producers.target;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.schemas.config.Durations;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One endpoint of a target service, as written in a target YAML file:
 *
 * <pre>{@code
 * endpoints:
 *   - {name: search, median: 30ms, p99: 200ms, errorRate: 0.5%}
 *   - {name: checkout, path: /api/checkout, median: 80ms, p99: 600ms, payloadBytes: 2048}
 * }</pre>
 *
 * Latencies follow a log-normal distribution with the given median and p99 (see {@link
 * LatencyProfile}); they default to 20 ms and 100 ms when both are left out.
 *
 * @param name endpoint name: letters, digits, {@code .}, {@code _} and {@code -}
 * @param path URL path it answers on, starting with {@code /}; default {@code /name}
 * @param median median latency, positive
 * @param p99 99th percentile latency, above the median
 * @param payloadBytes size of the body of a successful response; default 256
 * @param errorRate share of requests that fail, {@code 2%} or {@code 0.02}, below 100%; default 0
 * @param errorStatus HTTP status of failed requests, 400 to 599; default 500
 */
public record TargetEndpoint(
        String name,
        String path,
        Duration median,
        Duration p99,
        int payloadBytes,
        double errorRate,
        int errorStatus) {

    /** Body size of an endpoint that gives none. */
    public static final int DEFAULT_PAYLOAD_BYTES = 256;

    /** Status of the failures of an endpoint that gives none. */
    public static final int DEFAULT_ERROR_STATUS = 500;

    /** Largest body, to keep a typo from allocating gigabytes: 16 MiB. */
    public static final int MAX_PAYLOAD_BYTES = 16 << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * @throws IllegalArgumentException starting with the name of the offending field
     */
    public TargetEndpoint {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "name is required and may hold only letters, digits, '.', '_' and '-', not "
                            + (name == null ? "nothing" : "'" + name + "'"));
        }
        if (path == null || !path.startsWith("/") || path.contains("?") || path.contains("#")) {
            throw new IllegalArgumentException(
                    "path must start with '/' and hold no '?' or '#', not '" + path + "'");
        }
        if (median == null || median.isNegative() || median.isZero()) {
            throw new IllegalArgumentException(
                    "median must be positive, not "
                            + (median == null ? "missing" : DurationText.of(median)));
        }
        if (p99 == null || p99.compareTo(median) <= 0) {
            throw new IllegalArgumentException(
                    "p99 must be greater than the median "
                            + DurationText.of(median)
                            + ", not "
                            + (p99 == null ? "missing" : DurationText.of(p99)));
        }
        if (payloadBytes < 0 || payloadBytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(
                    "payloadBytes must be 0 to " + MAX_PAYLOAD_BYTES + ", not " + payloadBytes);
        }
        if (!(errorRate >= 0 && errorRate < 1)) {
            throw new IllegalArgumentException(
                    "errorRate must be at least 0 and below 100%, not " + errorRate);
        }
        if (errorStatus < 400 || errorStatus > 599) {
            throw new IllegalArgumentException(
                    "errorStatus must be an HTTP error, 400 to 599, not " + errorStatus);
        }
    }

    /** Reads an endpoint from YAML, filling in the defaults of the fields left out. */
    @JsonCreator
    static TargetEndpoint fromYaml(
            @JsonProperty("name") String name,
            @JsonProperty("path") String path,
            @JsonProperty("median") @JsonDeserialize(using = Durations.Deserializer.class)
                    Duration median,
            @JsonProperty("p99") @JsonDeserialize(using = Durations.Deserializer.class)
                    Duration p99,
            @JsonProperty("payloadBytes") Integer payloadBytes,
            @JsonProperty("errorRate") @JsonDeserialize(using = ErrorRateDeserializer.class)
                    Double errorRate,
            @JsonProperty("errorStatus") Integer errorStatus) {
        if (median == null && p99 == null) {
            median = LatencyProfile.DEFAULT_MEDIAN;
            p99 = LatencyProfile.DEFAULT_P99;
        } else if (median == null || p99 == null) {
            throw new IllegalArgumentException(
                    (median == null ? "median" : "p99") + " is missing: give both median and p99");
        }
        return new TargetEndpoint(
                name,
                path == null && name != null ? "/" + name : path,
                median,
                p99,
                payloadBytes == null ? DEFAULT_PAYLOAD_BYTES : payloadBytes,
                errorRate == null ? 0 : errorRate,
                errorStatus == null ? DEFAULT_ERROR_STATUS : errorStatus);
    }

    /** The latency distribution and error rate, for sampling. */
    public LatencyProfile latencyProfile() {
        return new LatencyProfile(name, median, p99, errorRate);
    }

    /** One line for people, such as {@code search /search: median 30ms, p99 200ms, ...}. */
    public String describe() {
        return String.format(
                "%s %s: median %s, p99 %s, errors %s%% (%d), %d-byte body",
                name,
                path,
                DurationText.of(median),
                DurationText.of(p99),
                BigDecimal.valueOf(errorRate * 100).stripTrailingZeros().toPlainString(),
                errorStatus,
                payloadBytes);
    }

    /** Reads an error rate written as a percentage ({@code 2%}) or a fraction ({@code 0.02}). */
    static final class ErrorRateDeserializer extends JsonDeserializer<Double> {
        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                    || parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            String text = parser.getValueAsString();
            if (text == null) {
                return (Double) context.handleUnexpectedToken(Double.class, parser);
            }
            try {
                return parse(text);
            } catch (NumberFormatException e) {
                return (Double)
                        context.handleWeirdStringValue(
                                Double.class,
                                text,
                                "is not a percentage (2%) or a fraction (0.02)");
            }
        }

        static double parse(String text) {
            String t = text.trim();
            boolean percent = t.endsWith("%");
            String number = percent ? t.substring(0, t.length() - 1).trim() : t;
            double value = new BigDecimal(number).doubleValue();
            return percent ? value / 100 : value;
        }
    }
}
