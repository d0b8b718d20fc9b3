package io.loadstream.schemas.topic;

/**
 * One topic of the pipeline: its full name (prefix included), the types of its keys and values, its
 * cleanup policy and its default partition count. Declared once, in {@link Topics}; serdes for it
 * come from {@link io.loadstream.schemas.serde.AvroSerdes#keySerde(Topic)} and {@code
 * valueSerde(Topic)}.
 */
public record Topic<K, V>(
        String name,
        Class<K> keyType,
        Class<V> valueType,
        CleanupPolicy cleanupPolicy,
        int partitions) {

    /** What topic setup needs of this topic. */
    public TopicSpec spec() {
        return new TopicSpec(name, cleanupPolicy, partitions);
    }

    @Override
    public String toString() {
        return name;
    }
}
