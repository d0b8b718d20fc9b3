package io.loadstream.consumers.results;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.compacted.CompactedTopicReader;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the summaries of one run from the compacted {@code run-summaries} topic: the latest {@link
 * WindowStats} of each of its endpoints, now or once they account for every event the generators
 * had acknowledged (in their counts, or in their warm-up figures). Reads committed records only, so
 * exactly-once results are never seen half-written.
 *
 * <pre>{@code
 * RunSummaries summaries = new RunSummaryReader(clientConfig, serdes, topics.runSummaries())
 *         .awaitCounted(runId, acknowledged, Duration.ofMinutes(1));
 * if (summaries.accountedFor() < acknowledged) { ... } // the timeout passed first
 * }</pre>
 *
 * <p>Reads: {@code run-summaries}. Summaries are by endpoint name: a run runs one scenario.
 */
public final class RunSummaryReader {

    private final ClientConfig clientConfig;
    private final AvroSerdes serdes;
    private final Topic<RunKey, WindowStats> topic;

    public RunSummaryReader(
            ClientConfig clientConfig, AvroSerdes serdes, Topic<RunKey, WindowStats> topic) {
        this.clientConfig = clientConfig;
        this.serdes = serdes;
        this.topic = topic;
    }

    /**
     * The latest summary of each endpoint of a run, by endpoint name, as the topic has them now.
     *
     * @param timeout bound on the whole read
     * @throws IllegalStateException if the end of the topic is not reached within the timeout
     */
    public SortedMap<String, WindowStats> latest(String runId, Duration timeout) {
        try (CompactedTopicReader<RunKey, WindowStats> reader = open(runId)) {
            return byEndpoint(reader.readToEnd(timeout).values());
        }
    }

    /**
     * Reads the summaries of a run until they account for at least {@code events} requests, warm-up
     * included ({@link RunSummaries#accountedFor()}), or until {@code timeout} has passed: then
     * they account for fewer, and the caller says so.
     *
     * @throws IllegalStateException if the topic does not exist or cannot be reached
     */
    public RunSummaries awaitCounted(String runId, long events, Duration timeout) {
        try (CompactedTopicReader<RunKey, WindowStats> reader = open(runId)) {
            reader.readUntil(table -> RunSummaries.accountedFor(table.values()) >= events, timeout);
            return new RunSummaries(runId, byEndpoint(reader.latest().values()));
        }
    }

    private CompactedTopicReader<RunKey, WindowStats> open(String runId) {
        return CompactedTopicReader.open(
                clientConfig, serdes, topic, key -> key.getRunId().equals(runId));
    }

    private static SortedMap<String, WindowStats> byEndpoint(Collection<WindowStats> summaries) {
        SortedMap<String, WindowStats> byEndpoint = new TreeMap<>();
        summaries.forEach(summary -> byEndpoint.put(summary.getEndpoint(), summary));
        return byEndpoint;
    }
}
