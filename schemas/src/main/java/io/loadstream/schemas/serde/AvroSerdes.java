package io.loadstream.schemas.serde;

import io.loadstream.schemas.registry.SchemaRegistry;
import io.loadstream.schemas.topic.Topic;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Makes the serdes of the pipeline's topics: wire-format Avro for generated records (sharing one
 * registry client, and so one cache of schemas and ids, across a process), plain Kafka serdes for
 * strings and bytes.
 *
 * <pre>{@code
 * AvroSerdes serdes = new AvroSerdes(registry);
 * Serde<SeriesKey> keys = serdes.keySerde(topics.timings());
 * }</pre>
 */
public final class AvroSerdes {

    private final SchemaRegistry registry;
    private final Map<Class<?>, Serde<?>> keySerdes = new ConcurrentHashMap<>();
    private final Map<Class<?>, Serde<?>> valueSerdes = new ConcurrentHashMap<>();

    public AvroSerdes(SchemaRegistry registry) {
        this.registry = registry;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    /** The serde of a topic's keys; Avro keys are registered under {@code <topic>-key}. */
    public <K> Serde<K> keySerde(Topic<K, ?> topic) {
        return serdeFor(topic.keyType(), true);
    }

    /** The serde of a topic's values; Avro values are registered under {@code <topic>-value}. */
    public <V> Serde<V> valueSerde(Topic<?, V> topic) {
        return serdeFor(topic.valueType(), false);
    }

    /**
     * Registers a topic's Avro key and value schemas now rather than on the first record, so that
     * an unreachable or refusing registry fails at start-up and the first send is not delayed.
     */
    public void registerSchemas(Topic<?, ?> topic) {
        register(topic.name(), topic.keyType(), true);
        register(topic.name(), topic.valueType(), false);
    }

    private void register(String topic, Class<?> type, boolean isKey) {
        if (SpecificRecord.class.isAssignableFrom(type)) {
            registry.register(WireFormat.subject(topic, isKey), SpecificData.get().getSchema(type));
        }
    }

    /** A wire-format Avro serde for a generated record class. */
    public <T extends SpecificRecord> Serde<T> avro(Class<T> type, boolean isKey) {
        return Serdes.serdeFrom(
                new AvroSerializer<>(registry, type, isKey),
                new AvroDeserializer<>(registry, type));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> Serde<T> serdeFor(Class<T> type, boolean isKey) {
        Map<Class<?>, Serde<?>> cache = isKey ? keySerdes : valueSerdes;
        return (Serde<T>)
                cache.computeIfAbsent(
                        type,
                        t -> {
                            if (t == String.class) {
                                return Serdes.String();
                            } else if (t == byte[].class) {
                                return Serdes.ByteArray();
                            } else if (SpecificRecord.class.isAssignableFrom(t)) {
                                return avro((Class) t, isKey);
                            }
                            throw new IllegalArgumentException("no serde for " + t.getName());
                        });
    }
}
