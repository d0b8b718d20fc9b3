package io.loadstream.consumers.live;

import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.compacted.CompactedTopicReader;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows {@code window-stats} for one run on a background thread and keeps, per endpoint, the
 * newest final window of one resolution: what a live table shows.
 *
 * <p>Reads: {@code window-stats}, committed records only, from the beginning. The reader underneath
 * keeps every window of the run at that resolution, each with its compressed histogram, so its
 * memory grows with the length of the run.
 */
public final class LiveWindowView implements AutoCloseable {

    private final CompactedTopicReader<WindowKey, WindowStats> reader;
    private final Map<String, WindowStats> newestFinal = new ConcurrentHashMap<>();

    public LiveWindowView(
            ClientConfig clientConfig,
            AvroSerdes serdes,
            Topic<WindowKey, WindowStats> windowStats,
            String runId,
            long resolutionMs) {
        this.reader =
                CompactedTopicReader.open(
                        clientConfig,
                        serdes,
                        windowStats,
                        key ->
                                key.getRunId().equals(runId)
                                        && key.getResolutionMs() == resolutionMs);
    }

    /** Starts following the topic from its beginning. */
    public LiveWindowView start() {
        reader.follow(this::changed);
        return this;
    }

    /** The newest final window of each endpoint so far, by endpoint name. */
    public SortedMap<String, WindowStats> newestFinalWindows() {
        return new TreeMap<>(newestFinal);
    }

    private void changed(WindowKey key, WindowStats window) {
        if (window != null && window.getFinal$()) {
            newestFinal.merge(
                    key.getEndpoint(),
                    window,
                    (old, now) -> now.getWindowStartMs() >= old.getWindowStartMs() ? now : old);
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
