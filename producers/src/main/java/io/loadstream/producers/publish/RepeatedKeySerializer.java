package io.loadstream.producers.publish;

import io.loadstream.avro.SeriesKey;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes each {@link SeriesKey} instance once and hands back the same bytes for it after that:
 * with {@link SeriesKeys} every event of a series has the same key instance, and the producer only
 * copies the bytes into its batch. Keys must not be changed once serialized.
 *
 * <p>Each sending thread keeps its own bytes, as each has its own {@link SeriesKeys}.
 */
final class RepeatedKeySerializer implements Serializer<SeriesKey> {

    private final Serializer<SeriesKey> serializer;
    private final ThreadLocal<Cache> caches = ThreadLocal.withInitial(Cache::new);

    RepeatedKeySerializer(Serializer<SeriesKey> serializer) {
        this.serializer = serializer;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, SeriesKey key) {
        if (key == null) {
            return null;
        }
        Cache cache = caches.get();
        if (!topic.equals(cache.topic)) {
            cache.bytes.clear();
            cache.topic = topic;
        }
        byte[] serialized = cache.bytes.get(key);
        if (serialized == null) {
            if (cache.bytes.size() >= SeriesKeys.MAX_SERIES) {
                cache.bytes.clear();
            }
            serialized = serializer.serialize(topic, key);
            cache.bytes.put(key, serialized);
        }
        return serialized;
    }

    @Override
    public byte[] serialize(String topic, Headers headers, SeriesKey key) {
        return serialize(topic, key);
    }

    @Override
    public void close() {
        serializer.close();
    }

    /** One thread's serialized keys, of one topic. */
    private static final class Cache {
        final Map<SeriesKey, byte[]> bytes = new IdentityHashMap<>();
        String topic;
    }
}
