package io.loadstream.schemas.serde;

import io.loadstream.schemas.registry.SchemaRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format, registering the record's schema under
 * {@code <topic>-key} or {@code <topic>-value} the first time a topic is written. After that a
 * record costs no registry call.
 *
 * <p>A generated class with its own encoder ({@code customEncode}) is written by it straight into a
 * reused {@link ByteArrayEncoder}, one per thread: the generator serializes every timing event, and
 * Avro's writer with its stream-backed encoder was a third of its sending thread's time.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final SchemaRegistry registry;
    private final boolean isKey;
    private final SpecificDatumWriter<T> writer;
    private final boolean customCoders;
    private final Map<String, byte[]> headersByTopic = new ConcurrentHashMap<>();
    private final ThreadLocal<ByteArrayEncoder> encoders =
            ThreadLocal.withInitial(ByteArrayEncoder::new);

    public AvroSerializer(SchemaRegistry registry, Class<T> type, boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
        // the generated classes' own encoders, not Avro's reflective walk of the schema: the
        // generator serializes every timing event, and this path was a quarter of its CPU
        SpecificData model = new SpecificData(type.getClassLoader());
        model.setCustomCoders(true);
        this.writer = new SpecificDatumWriter<>(model.getSchema(type), model);
        this.customCoders = hasCustomEncoder(type);
    }

    /** Whether {@code type} was generated with an encoder of its own, as the writer would use. */
    private static boolean hasCustomEncoder(Class<?> type) {
        if (!SpecificRecordBase.class.isAssignableFrom(type)) {
            return false;
        }
        try {
            return type.getMethod("customEncode", Encoder.class).getDeclaringClass()
                    != SpecificRecordBase.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        byte[] header =
                headersByTopic.computeIfAbsent(
                        topic,
                        t ->
                                WireFormat.header(
                                        registry.register(
                                                WireFormat.subject(t, isKey), data.getSchema())));
        ByteArrayEncoder encoder = encoders.get();
        encoder.reset();
        encoder.writeFixed(header, 0, header.length);
        try {
            if (customCoders) {
                ((SpecificRecordBase) data).customEncode(encoder);
            } else {
                writer.write(data, encoder);
            }
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
        return encoder.toByteArray();
    }
}
