package io.loadstream.schemas.rules;

import io.loadstream.avro.WindowStats;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What a threshold rule judges. Request metrics are read from a window's (or a run summary's)
 * {@link WindowStats}; pipeline metrics come from analyze's own measurements ({@code
 * pipeline-metrics}); {@link #NO_DATA} is the time a run has been silent.
 *
 * <p>Units are those of the records: latencies in microseconds ({@code e2e_latency} too, which
 * analyze converts from the milliseconds of {@code pipeline-metrics}), error rate a fraction from 0
 * to 1, throughput in requests per second, counts as counts, lag in records, silence in
 * milliseconds.
 */
public enum RuleMetric {
    P50("p50", Kind.LATENCY, WindowStats::getP50Us),
    P90("p90", Kind.LATENCY, WindowStats::getP90Us),
    P95("p95", Kind.LATENCY, WindowStats::getP95Us),
    P99("p99", Kind.LATENCY, WindowStats::getP99Us),
    P999("p999", Kind.LATENCY, WindowStats::getP999Us),
    MEAN("mean", Kind.LATENCY, WindowStats::getMeanUs),
    MAX("max", Kind.LATENCY, WindowStats::getMaxUs),
    UNCORRECTED_P99("uncorrected_p99", Kind.LATENCY, WindowStats::getUncorrectedP99Us),
    ERROR_RATE("error_rate", Kind.FRACTION, WindowStats::getErrorRate),
    THROUGHPUT("throughput", Kind.RATE, WindowStats::getThroughput),
    LATE_EVENTS("late_events", Kind.COUNT, WindowStats::getLate),
    CONSUMER_LAG("consumer_lag", Kind.PIPELINE, null),
    E2E_LATENCY("e2e_latency", Kind.PIPELINE, null),
    DEAD_LETTERS("dead_letters", Kind.PIPELINE, null),
    DROPPED_REQUESTS("dropped_requests", Kind.PIPELINE, null),
    NO_DATA("no_data", Kind.SILENCE, null);

    /** How a metric's values are measured, which says how thresholds are written for it. */
    public enum Kind {
        /** Microseconds; written as durations in files ({@code 250ms}). */
        LATENCY,
        /** A fraction from 0 to 1; written as {@code 1%} or {@code 0.01}. */
        FRACTION,
        /** Requests per second. */
        RATE,
        /** A count of events. */
        COUNT,
        /** Measured by analyze about the pipeline itself, per run or for the whole application. */
        PIPELINE,
        /** Milliseconds since a run last reported, while it was expected to go on. */
        SILENCE
    }

    private final String id;
    private final Kind kind;
    private final ToDoubleFunction<WindowStats> reader;

    RuleMetric(String id, Kind kind, ToDoubleFunction<WindowStats> reader) {
        this.id = id;
        this.kind = kind;
        this.reader = reader;
    }

    /** The name used in rules files, scenario thresholds and records ({@code p99}). */
    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the value is read from window statistics (see {@link #valueOf(WindowStats)}). */
    public boolean readsWindows() {
        return reader != null;
    }

    /**
     * The metric's value in a window or run summary.
     *
     * @throws IllegalStateException for a metric that is not read from windows
     */
    public double valueOf(WindowStats stats) {
        if (reader == null) {
            throw new IllegalStateException(id + " is not read from window statistics");
        }
        return reader.applyAsDouble(stats);
    }

    /** The metric named {@code id} in a file or record (case-insensitive; {@code p99.9} too). */
    public static Optional<RuleMetric> byId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT).replace("p99.9", "p999");
        return Arrays.stream(values()).filter(m -> m.id.equals(wanted)).findFirst();
    }

    /** Every metric's id, for error messages: {@code p50, p90, ...}. */
    public static String ids() {
        return Arrays.stream(values()).map(RuleMetric::id).collect(Collectors.joining(", "));
    }
}
