package io.loadstream.analytics.aggregate;

import io.loadstream.schemas.histogram.LatencyAggregate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store of {@link LatencyAggregate}s that keeps the aggregates being updated as live
 * objects and writes them to a logged key-value store (RocksDB with a changelog) when Kafka Streams
 * commits. Recording a request is then an in-memory histogram update, not a decode and re-encode of
 * the histogram per record.
 *
 * <p>Exactly-once holds because the changes reach the changelog inside the transaction that also
 * holds the input offsets and the output records: before it commits a task, Kafka Streams (4.x)
 * flushes the caches of its stores, and this store takes part as a {@link CachedStateStore} (it
 * does not call {@code StateStore.flush}, and calls {@code commit} only at checkpoints, which
 * exactly-once skips while running). After a crash the store is restored to the last commit while
 * the input is read again from there. {@code AnalyzeCrashIT} kills a process to check this.
 */
public final class AggregateStore implements StateStore, CachedStateStore<Bytes, byte[]> {

    private final KeyValueStore<Bytes, byte[]> inner;
    private final Map<String, LatencyAggregate> live = new HashMap<>();
    private final Set<String> unsaved = new HashSet<>();

    /** Keys of entries that are not aggregates start with NUL, which names never do. */
    private static final String MARK_PREFIX = "\0";

    private static final Bytes STREAM_TIME_KEY = bytes(MARK_PREFIX + "stream-time");
    private final Map<String, Long> marks = new HashMap<>();
    private long streamTimeMs = Long.MIN_VALUE;
    private boolean streamTimeUnsaved;

    private AggregateStore(KeyValueStore<Bytes, byte[]> inner) {
        this.inner = inner;
    }

    /**
     * Builds the store under {@code name}, with a changelog topic (compacted, as Streams makes).
     */
    public static StoreBuilder<AggregateStore> builder(String name) {
        StoreBuilder<KeyValueStore<Bytes, byte[]>> inner =
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(name),
                                Serdes.Bytes(),
                                Serdes.ByteArray())
                        .withCachingDisabled()
                        .withLoggingEnabled(Map.of());
        return new Builder(name, inner);
    }

    /** The aggregate under {@code key}, or null if there is none. */
    public LatencyAggregate get(String key) {
        LatencyAggregate aggregate = live.get(key);
        if (aggregate == null && !unsaved.contains(key)) {
            byte[] stored = inner.get(bytes(key));
            if (stored != null) {
                aggregate = LatencyAggregate.readFrom(ByteBuffer.wrap(stored));
                live.put(key, aggregate);
            }
        }
        return aggregate;
    }

    /** The aggregate under {@code key}, created empty if there is none; marked as changed. */
    public LatencyAggregate getForUpdate(String key) {
        LatencyAggregate aggregate = get(key);
        if (aggregate == null) {
            aggregate = LatencyAggregate.empty();
            live.put(key, aggregate);
        }
        unsaved.add(key);
        return aggregate;
    }

    /** Removes the aggregate under {@code key}. */
    public void delete(String key) {
        live.remove(key);
        unsaved.add(key);
    }

    /**
     * The highest event time the processor has seen, kept with the aggregates so that windows close
     * at the same point after a restart; {@code Long.MIN_VALUE} before any event.
     */
    public long streamTimeMs() {
        if (streamTimeMs == Long.MIN_VALUE) {
            byte[] stored = inner.get(STREAM_TIME_KEY);
            if (stored != null) {
                streamTimeMs = ByteBuffer.wrap(stored).getLong();
            }
        }
        return streamTimeMs;
    }

    public void setStreamTimeMs(long streamTimeMs) {
        this.streamTimeMs = streamTimeMs;
        streamTimeUnsaved = true;
    }

    /** Every stored aggregate key, for rebuilding indexes after a restart. */
    public List<String> keys() {
        saveChanges();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            while (all.hasNext()) {
                String key = new String(all.next().key.get(), StandardCharsets.UTF_8);
                if (!key.startsWith(MARK_PREFIX)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    /**
     * Sets a named time mark kept beside the aggregates, for example how far a source of partials
     * has progressed; {@code null} removes it.
     */
    public void setMark(String name, Long valueMs) {
        marks.put(name, valueMs);
    }

    /** Every stored time mark by name, for rebuilding state after a restart. */
    public Map<String, Long> marks() {
        saveChanges();
        Map<String, Long> stored = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                String key = new String(entry.key.get(), StandardCharsets.UTF_8);
                if (key.startsWith(MARK_PREFIX + "m")) {
                    stored.put(
                            key.substring(MARK_PREFIX.length() + 1),
                            ByteBuffer.wrap(entry.value).getLong());
                }
            }
        }
        return stored;
    }

    /**
     * What the store holds on disk (and in its changelog after compaction): every entry, aggregates
     * and marks alike, with the bytes of their keys and values. It reads the whole store, so it is
     * for tests and diagnostics, not for every record.
     */
    public Size size() {
        saveChanges();
        long entries = 0;
        long bytes = 0;
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                entries++;
                bytes += entry.key.get().length + entry.value.length;
            }
        }
        return new Size(entries, bytes);
    }

    /** The entries of a store and the bytes of their keys and values. */
    public record Size(long entries, long bytes) {}

    private void saveChanges() {
        for (String key : unsaved) {
            LatencyAggregate aggregate = live.get(key);
            if (aggregate == null) {
                inner.delete(bytes(key));
            } else {
                ByteBuffer buffer = ByteBuffer.allocate(aggregate.encodedSizeBound());
                aggregate.writeTo(buffer);
                byte[] value = new byte[buffer.position()];
                buffer.flip().get(value);
                inner.put(bytes(key), value);
            }
        }
        unsaved.clear();
        for (Map.Entry<String, Long> mark : marks.entrySet()) {
            Bytes key = bytes(MARK_PREFIX + "m" + mark.getKey());
            if (mark.getValue() == null) {
                inner.delete(key);
            } else {
                inner.put(key, ByteBuffer.allocate(Long.BYTES).putLong(mark.getValue()).array());
            }
        }
        marks.clear();
        if (streamTimeUnsaved) {
            inner.put(
                    STREAM_TIME_KEY, ByteBuffer.allocate(Long.BYTES).putLong(streamTimeMs).array());
            streamTimeUnsaved = false;
        }
        // keep memory bounded by what changed since the last commit
        live.clear();
    }

    private static Bytes bytes(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    /** Writes what changed since the last commit; Kafka Streams calls it before every commit. */
    @Override
    public void flushCache() {
        saveChanges();
    }

    /**
     * Forgets what changed since the last commit: the task is being restored from its changelog.
     */
    @Override
    public void clearCache() {
        live.clear();
        unsaved.clear();
        marks.clear();
        streamTimeMs = Long.MIN_VALUE;
        streamTimeUnsaved = false;
    }

    /** Nothing listens: the processors forward what they emit themselves. */
    @Override
    public boolean setFlushListener(
            CacheFlushListener<Bytes, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void flush() {
        saveChanges();
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        saveChanges();
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    private static final class Builder implements StoreBuilder<AggregateStore> {
        private final String name;
        private final StoreBuilder<KeyValueStore<Bytes, byte[]>> inner;

        Builder(String name, StoreBuilder<KeyValueStore<Bytes, byte[]>> inner) {
            this.name = name;
            this.inner = inner;
        }

        @Override
        public StoreBuilder<AggregateStore> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<AggregateStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<AggregateStore> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<AggregateStore> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public AggregateStore build() {
            return new AggregateStore(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return name;
        }
    }
}
