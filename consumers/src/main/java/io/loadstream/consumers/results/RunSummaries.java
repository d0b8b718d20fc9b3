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

    /** Requests the summaries count, every outcome included. */
    public long counted() {
        return count(byEndpoint.values());
    }

    static long count(Collection<WindowStats> summaries) {
        return summaries.stream().mapToLong(WindowStats::getCount).sum();
    }
}
