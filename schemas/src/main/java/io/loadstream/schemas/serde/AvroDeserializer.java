package io.loadstream.schemas.serde;

import io.loadstream.schemas.registry.RegistryErrors;
import io.loadstream.schemas.registry.SchemaRegistry;
import io.loadstream.schemas.registry.SchemaRegistryException;
import io.loadstream.schemas.serde.WireFormatException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro into generated record classes. The writer schema comes from the
 * registry by the record's id (cached), and is resolved against the class's schema, so records
 * written with an older or newer compatible schema read as the class expects.
 *
 * <p>A record that cannot be read raises a {@link WireFormatException} naming the topic and the
 * cause: too short, no magic byte, unknown schema id, truncated or corrupt payload, a length that
 * the record cannot hold, or a writer schema the class cannot read. The payload is decoded by a
 * {@link BoundedDecoder}, so no length prefix, however large it claims to be, makes it allocate
 * more than the record's own size: a string, bytes, array or map longer than the rest of the record
 * is {@link Reason#TRUNCATED}, found before anything is allocated for it.
 *
 * <p>A registry that fails transiently (unreachable, timed out, 429, 5xx) is asked again with
 * backoff for up to a minute ({@link RegistryRetry}); if it still fails the record is not the
 * cause, and the exception says so with {@link Reason#REGISTRY_ERROR}: the caller must not treat
 * the record as bad, but read it again later.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    private final SchemaRegistry registry;
    private final Schema readerSchema;
    private final BiFunction<Schema, Schema, DatumReader<T>> readerFactory;
    private final RegistryRetry retry;
    private final Map<Integer, WriterReader<T>> readersById = new ConcurrentHashMap<>();

    /** Reads records into a generated class. */
    public AvroDeserializer(SchemaRegistry registry, Class<T> type) {
        this(registry, type, RegistryRetry.DEFAULT);
    }

    /** Reads records into a generated class, asking the registry again as {@code retry} says. */
    AvroDeserializer(SchemaRegistry registry, Class<T> type, RegistryRetry retry) {
        this(registry, SpecificData.get().getSchema(type), SpecificDatumReader::new, retry);
    }

    private AvroDeserializer(
            SchemaRegistry registry,
            Schema readerSchema,
            BiFunction<Schema, Schema, DatumReader<T>> readerFactory,
            RegistryRetry retry) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.readerFactory = readerFactory;
        this.retry = retry;
    }

    /**
     * Reads records as {@link GenericRecord}s of {@code readerSchema}, whatever compatible schema
     * they were written with: for tools and for readers newer than the generated classes.
     */
    public static AvroDeserializer<GenericRecord> generic(
            SchemaRegistry registry, Schema readerSchema) {
        return new AvroDeserializer<>(
                registry, readerSchema, GenericDatumReader::new, RegistryRetry.DEFAULT);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new WireFormatException(
                    Reason.TOO_SHORT,
                    "record of "
                            + data.length
                            + " bytes on topic "
                            + topic
                            + " is shorter than the 5-byte wire-format header (magic byte and"
                            + " schema id): it is truncated or was not written by an Avro"
                            + " serializer");
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new WireFormatException(
                    Reason.NOT_WIRE_FORMAT,
                    String.format(
                            "record on topic %s starts with byte 0x%02x, not the magic byte 0x00:"
                                    + " it is not in the Confluent wire format",
                            topic, data[0]));
        }
        int id = WireFormat.schemaId(data);
        WriterReader<T> reader = readersById.get(id);
        if (reader == null) {
            Schema writer = writerSchema(topic, id);
            reader =
                    new WriterReader<>(
                            readerFactory.apply(writer, readerSchema),
                            BoundedDecoder.hasZeroByteArrayItems(writer));
            readersById.put(id, reader);
        }
        return decode(topic, id, data, reader);
    }

    private Schema writerSchema(String topic, int id) {
        try {
            return retry.call(() -> registry.schemaById(id));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == RegistryErrors.SCHEMA_NOT_FOUND) {
                throw new WireFormatException(
                        Reason.UNKNOWN_SCHEMA_ID,
                        "record on topic "
                                + topic
                                + " names schema id "
                                + id
                                + ", which the schema registry does not know (error code 40403):"
                                + " it was written against another registry, or is corrupt",
                        e);
            }
            throw new WireFormatException(
                    Reason.REGISTRY_ERROR,
                    "cannot fetch schema id "
                            + id
                            + " for a record on topic "
                            + topic
                            + ", so the record cannot be read now: "
                            + e.getMessage(),
                    e);
        }
    }

    private T decode(String topic, int id, byte[] data, WriterReader<T> reader) {
        BoundedDecoder decoder =
                new BoundedDecoder(
                        data,
                        WireFormat.HEADER_SIZE,
                        data.length - WireFormat.HEADER_SIZE,
                        reader.zeroByteArrayItems());
        T record;
        try {
            record = reader.datumReader().read(null, decoder);
        } catch (EOFException e) {
            throw new WireFormatException(
                    Reason.TRUNCATED,
                    "record on topic "
                            + topic
                            + " (schema id "
                            + id
                            + ", "
                            + data.length
                            + " bytes) ends before its Avro payload does: it is truncated",
                    e);
        } catch (BoundedDecoder.LengthBeyondRecordException e) {
            throw new WireFormatException(
                    Reason.TRUNCATED,
                    "record on topic "
                            + topic
                            + " (schema id "
                            + id
                            + ", "
                            + data.length
                            + " bytes) is unreadable: its "
                            + e.getMessage()
                            + ": it is truncated or corrupt",
                    e);
        } catch (AvroTypeException e) {
            throw new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    "record on topic "
                            + topic
                            + " was written with schema id "
                            + id
                            + ", which cannot be read as "
                            + readerSchema.getFullName()
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(
                    Reason.CORRUPT,
                    "record on topic "
                            + topic
                            + " (schema id "
                            + id
                            + ") does not decode as Avro: "
                            + e,
                    e);
        }
        if (!decoder.isEnd()) {
            throw new WireFormatException(
                    Reason.CORRUPT,
                    "record on topic "
                            + topic
                            + " (schema id "
                            + id
                            + ") has bytes left over after its Avro payload: it is corrupt");
        }
        return record;
    }

    /** The reader of one writer schema, and how its payloads are bounded. */
    private record WriterReader<T>(DatumReader<T> datumReader, boolean zeroByteArrayItems) {}
}
