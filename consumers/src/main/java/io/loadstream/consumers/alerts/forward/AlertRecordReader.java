package io.loadstream.consumers.alerts.forward;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the key and value of an {@code alerts} record from its bytes. The forwarder consumes bytes
 * and reads them itself, so that a record it cannot read goes to dead letters as it was instead of
 * stopping the consumer.
 */
public interface AlertRecordReader {

    /** The record's key; throws when it cannot be read. */
    AlertKey key(ConsumerRecord<byte[], byte[]> record);

    /** The record's value, null for a tombstone; throws when it cannot be read. */
    Alert value(ConsumerRecord<byte[], byte[]> record);

    /** A reader with the registry's serdes of {@code topic}. */
    static AlertRecordReader of(AvroSerdes serdes, Topic<AlertKey, Alert> topic) {
        Deserializer<AlertKey> keys = serdes.keySerde(topic).deserializer();
        Deserializer<Alert> values = serdes.valueSerde(topic).deserializer();
        return new AlertRecordReader() {
            @Override
            public AlertKey key(ConsumerRecord<byte[], byte[]> record) {
                return keys.deserialize(record.topic(), record.headers(), record.key());
            }

            @Override
            public Alert value(ConsumerRecord<byte[], byte[]> record) {
                return record.value() == null
                        ? null
                        : values.deserialize(record.topic(), record.headers(), record.value());
            }
        };
    }
}
