package io.loadstream.producers.synthetic;

import io.loadstream.schemas.config.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a synthetic endpoint behaves: a log-normal latency distribution given by its median and its
 * 99th percentile, and the fraction of requests that fail.
 *
 * <p>Profiles are written {@code name:median/p99/errors}, several separated by commas:
 *
 * <pre>{@code
 * List<LatencyProfile> endpoints =
 *         LatencyProfile.parseList("home:5ms/25ms/0.1%,search:30ms/200ms,checkout:80ms/600ms/2%");
 * }</pre>
 *
 * Durations take the suffixes {@code us}, {@code ms} and {@code s} and may have decimals ({@code
 * 2.5ms}); the error rate is a percentage ({@code 2%}) or a fraction ({@code 0.02}). The error rate
 * may be left out (no errors), and so may the latencies ({@code name} alone, or {@code name:2%}),
 * which then default to a median of 20 ms and a p99 of 100 ms.
 *
 * @param endpoint endpoint name: not empty, without {@code :} or {@code ,}
 * @param median median latency, positive
 * @param p99 99th percentile latency, greater than the median
 * @param errorRate fraction of requests that fail, in [0, 1)
 */
public record LatencyProfile(String endpoint, Duration median, Duration p99, double errorRate) {

    /** Median latency of a profile that gives none. */
    public static final Duration DEFAULT_MEDIAN = Duration.ofMillis(20);

    /** 99th percentile latency of a profile that gives none. */
    public static final Duration DEFAULT_P99 = Duration.ofMillis(100);

    /** The 0.99 quantile of the standard normal distribution. */
    static final double Z_99 = 2.3263478740408408;

    public LatencyProfile {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("endpoint name must not be empty");
        }
        if (endpoint.contains(":") || endpoint.contains(",")) {
            throw new IllegalArgumentException(
                    "endpoint name '" + endpoint + "' must not contain ':' or ','");
        }
        if (median == null || median.isNegative() || median.isZero()) {
            throw new IllegalArgumentException(
                    "median of '" + endpoint + "' must be positive, not " + median);
        }
        if (p99 == null || p99.compareTo(median) <= 0) {
            throw new IllegalArgumentException(
                    "p99 of '"
                            + endpoint
                            + "' must be greater than its median "
                            + median
                            + ", not "
                            + p99);
        }
        if (!(errorRate >= 0 && errorRate < 1)) {
            throw new IllegalArgumentException(
                    "error rate of '"
                            + endpoint
                            + "' must be at least 0 and below 1 (100%), not "
                            + errorRate);
        }
    }

    /**
     * Parses one profile, {@code name[:[median/p99][/errors]]}.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     */
    public static LatencyProfile parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("endpoint spec must not be null");
        }
        try {
            return parseChecked(spec.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "bad endpoint spec '"
                            + spec
                            + "': "
                            + e.getMessage()
                            + " (expected name:median/p99/errors, e.g. checkout:80ms/600ms/2%)",
                    e);
        }
    }

    /**
     * Parses comma-separated profiles.
     *
     * @throws IllegalArgumentException when one is malformed, an endpoint name repeats, or there
     *     are none
     */
    public static List<LatencyProfile> parseList(String specs) {
        if (specs == null || specs.isBlank()) {
            throw new IllegalArgumentException("no endpoints given");
        }
        List<LatencyProfile> profiles = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String spec : specs.split(",", -1)) {
            LatencyProfile profile = parse(spec);
            if (!names.add(profile.endpoint())) {
                throw new IllegalArgumentException(
                        "endpoint '" + profile.endpoint() + "' is given twice in '" + specs + "'");
            }
            profiles.add(profile);
        }
        return List.copyOf(profiles);
    }

    /** The log-normal location: the natural log of the median in microseconds. */
    public double mu() {
        return Math.log(micros(median));
    }

    /** The log-normal scale, such that {@code exp(mu + sigma * z99)} is the p99 in microseconds. */
    public double sigma() {
        return (Math.log(micros(p99)) - Math.log(micros(median))) / Z_99;
    }

    private static LatencyProfile parseChecked(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new LatencyProfile(spec, DEFAULT_MEDIAN, DEFAULT_P99, 0);
        }
        String name = spec.substring(0, colon).trim();
        String[] parts = spec.substring(colon + 1).split("/", -1);
        return switch (parts.length) {
            case 1 -> {
                if (parts[0].isBlank()) {
                    throw new IllegalArgumentException("nothing after ':'");
                }
                if (isDuration(parts[0])) {
                    throw new IllegalArgumentException("give both median and p99, as median/p99");
                }
                yield new LatencyProfile(name, DEFAULT_MEDIAN, DEFAULT_P99, errorRate(parts[0]));
            }
            case 2 -> new LatencyProfile(name, duration(parts[0]), duration(parts[1]), 0);
            case 3 ->
                    new LatencyProfile(
                            name, duration(parts[0]), duration(parts[1]), errorRate(parts[2]));
            default -> throw new IllegalArgumentException("too many '/'-separated parts");
        };
    }

    private static boolean isDuration(String text) {
        return Durations.isDuration(text);
    }

    /** A latency such as {@code 80ms}, {@code 1.5s} or {@code 250us}. */
    static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "latency '" + text.trim() + "' is not a duration with a unit (e.g. 80ms)");
        }
    }

    /** An error rate written {@code 2%} or {@code 0.02}. */
    static double errorRate(String text) {
        String t = text.trim();
        boolean percent = t.endsWith("%");
        String number = percent ? t.substring(0, t.length() - 1).trim() : t;
        try {
            double value = new BigDecimal(number).doubleValue();
            return percent ? value / 100 : value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "error rate '" + t + "' is not a percentage (2%) or a fraction (0.02)");
        }
    }

    private static double micros(Duration d) {
        return d.toNanos() / 1_000.0;
    }
}
