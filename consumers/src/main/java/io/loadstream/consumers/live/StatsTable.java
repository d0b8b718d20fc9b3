package io.loadstream.consumers.live;

import io.loadstream.avro.WindowStats;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;

/** Formats {@link WindowStats} as fixed-width text tables, latencies in milliseconds. */
public final class StatsTable {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatsTable() {}

    /** One row per endpoint of its newest window: time, req/s, p50, p95, p99, error rate. */
    public static String windows(Collection<WindowStats> rows) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "%-16s %8s %9s %9s %9s %9s %8s%n",
                        "endpoint",
                        "window",
                        "req/s",
                        "p50 ms",
                        "p95 ms",
                        "p99 ms",
                        "errors"));
        for (WindowStats s : rows) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%-16s %8s %9.1f %9.2f %9.2f %9.2f %7.2f%%%n",
                            s.getEndpoint(),
                            TIME.format(Instant.ofEpochMilli(s.getWindowStartMs())),
                            s.getThroughput(),
                            ms(s.getP50Us()),
                            ms(s.getP95Us()),
                            ms(s.getP99Us()),
                            100 * s.getErrorRate()));
        }
        return out.toString();
    }

    /**
     * One row per endpoint of a run summary: count, errors, req/s, p50, p95, p99, max, and the p99
     * of latency from the actual send time (uncorrected for coordinated omission).
     */
    public static String summaries(Collection<WindowStats> rows) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "%-16s %9s %7s %9s %9s %9s %9s %9s %11s%n",
                        "endpoint",
                        "count",
                        "errors",
                        "req/s",
                        "p50 ms",
                        "p95 ms",
                        "p99 ms",
                        "max ms",
                        "raw p99 ms"));
        for (WindowStats s : rows) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%-16s %9d %7d %9.1f %9.2f %9.2f %9.2f %9.2f %11.2f%n",
                            s.getEndpoint(),
                            s.getCount(),
                            s.getErrors(),
                            s.getThroughput(),
                            ms(s.getP50Us()),
                            ms(s.getP95Us()),
                            ms(s.getP99Us()),
                            ms(s.getMaxUs()),
                            ms(s.getUncorrectedP99Us())));
        }
        return out.toString();
    }

    /** Microseconds as milliseconds. */
    public static double ms(long micros) {
        return micros / 1000.0;
    }
}
