package io.loadstream.schemas.serde;

import io.loadstream.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Makes wire-format Avro serdes that share one registry client, and so one cache of schemas and
 * ids, across every topic of a process.
 */
public final class AvroSerdes {

    private final SchemaRegistryClient registry;

    public AvroSerdes(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    /** A serde for record keys, registered under {@code <topic>-key}. */
    public <T extends SpecificRecord> Serde<T> key(Class<T> type) {
        return serde(type, true);
    }

    /** A serde for record values, registered under {@code <topic>-value}. */
    public <T extends SpecificRecord> Serde<T> value(Class<T> type) {
        return serde(type, false);
    }

    private <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey) {
        return Serdes.serdeFrom(
                new AvroSerializer<>(registry, type, isKey),
                new AvroDeserializer<>(registry, type));
    }
}
