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
 * <p>Not thread-safe: for a producer that one thread sends with.
 */
final class RepeatedKeySerializer implements Serializer<SeriesKey> {

    private final Serializer<SeriesKey> serializer;
    private final Map<SeriesKey, byte[]> bytes = new IdentityHashMap<>();
    private String topic;

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
        if (!topic.equals(this.topic)) {
            bytes.clear();
            this.topic = topic;
        }
        byte[] serialized = bytes.get(key);
        if (serialized == null) {
            if (bytes.size() >= SeriesKeys.MAX_SERIES) {
                bytes.clear();
            }
            serialized = serializer.serialize(topic, key);
            bytes.put(key, serialized);
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
}
