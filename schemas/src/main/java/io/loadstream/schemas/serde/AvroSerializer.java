package io.loadstream.schemas.serde;

import io.loadstream.schemas.registry.SchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format, registering the record's schema under
 * {@code <topic>-key} or {@code <topic>-value} the first time a topic is written. After that a
 * record costs no registry call.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final SchemaRegistry registry;
    private final boolean isKey;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    public AvroSerializer(SchemaRegistry registry, Class<T> type, boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
        // the generated classes' own encoders, not Avro's reflective walk of the schema: the
        // generator serializes every timing event, and this path was a quarter of its CPU
        SpecificData model = new SpecificData(type.getClassLoader());
        model.setCustomCoders(true);
        this.writer = new SpecificDatumWriter<>(model.getSchema(type), model);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id =
                idsByTopic.computeIfAbsent(
                        topic,
                        t -> registry.register(WireFormat.subject(t, isKey), data.getSchema()));
        Buffer buffer = buffers.get();
        buffer.bytes.reset();
        buffer.bytes.write(WireFormat.MAGIC_BYTE);
        buffer.bytes.write(id >>> 24);
        buffer.bytes.write(id >>> 16);
        buffer.bytes.write(id >>> 8);
        buffer.bytes.write(id);
        try {
            buffer.encoder = EncoderFactory.get().directBinaryEncoder(buffer.bytes, buffer.encoder);
            writer.write(data, buffer.encoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot write "
                            + data.getSchema().getFullName()
                            + " to topic "
                            + topic
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return buffer.bytes.toByteArray();
    }

    /** Per-thread output buffer and encoder, reused across records. */
    private static final class Buffer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder encoder;
    }
}
