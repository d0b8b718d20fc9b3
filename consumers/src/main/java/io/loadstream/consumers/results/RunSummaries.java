package io.loadstream.consumers.results;

import io.loadstream.avro.WindowStats;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The latest summaries of one run, by endpoint name, as {@link RunSummaryReader} read them.
 *
 * @param byEndpoint the whole run so far of each endpoint, latencies in microseconds
 */
public record RunSummaries(String runId, SortedMap<String, WindowStats> byEndpoint) {

    public RunSummaries {
        byEndpoint = Collections.unmodifiableSortedMap(new TreeMap<>(byEndpoint));
    }

    /** Requests the summaries count, every outcome included; the warm-up is not among them. */
    public long counted() {
        return byEndpoint.values().stream().mapToLong(WindowStats::getCount).sum();
    }

    /** Requests of the warm-up: counted apart, in no other figure. */
    public long warmup() {
        return byEndpoint.values().stream().mapToLong(WindowStats::getWarmup).sum();
    }

    /** Every request the summaries account for: those they count and those of the warm-up. */
    public long accountedFor() {
        return accountedFor(byEndpoint.values());
    }

    static long accountedFor(Collection<WindowStats> summaries) {
        return summaries.stream().mapToLong(s -> s.getCount() + s.getWarmup()).sum();
    }
}
