package io.loadstream.schemas.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the pipeline: its full name (prefix included), the serdes of its keys and values,
 * its cleanup policy and its default partition count. Declared once, in {@link Topics}.
 */
public record Topic<K, V>(
        String name,
        Serde<K> keySerde,
        Serde<V> valueSerde,
        CleanupPolicy cleanupPolicy,
        int partitions) {

    @Override
    public String toString() {
        return name;
    }
}
