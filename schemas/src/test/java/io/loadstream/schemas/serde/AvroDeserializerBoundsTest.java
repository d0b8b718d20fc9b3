package io.loadstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.schemas.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * Lengths in the Avro payload are checked against the record before anything is allocated: a record
 * of a few bytes that claims gigabytes is unreadable, and costs no more than its size.
 */
class AvroDeserializerBoundsTest {

    private static final String TOPIC = "test.timings";
    private static final long ONE_MB = 1 << 20;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerializer<RequestTiming> serializer =
            new AvroSerializer<>(registry, RequestTiming.class, false);
    private final AvroDeserializer<RequestTiming> deserializer =
            new AvroDeserializer<>(registry, RequestTiming.class);

    @Test
    void shouldRefuseAStringLongerThanTheRecordWithoutAllocatingIt() throws IOException {
        byte[] good = serializer.serialize(TOPIC, timing(Map.of("region", "eu")));
        assertThat(deserializer.deserialize(TOPIC, good)).isEqualTo(timing(Map.of("region", "eu")));
        // magic byte, the schema id of the good record, then runId's length: 1,900,000,000
        ByteArrayOutputStream pill = header(good);
        BinaryEncoder avro = EncoderFactory.get().directBinaryEncoder(pill, null);
        avro.writeLong(1_900_000_000L);
        pill.write('x');
        byte[] value = pill.toByteArray();
        assertThat(value).hasSize(11);

        long before = allocatedBytes();
        Throwable thrown = catchThrowable(() -> deserializer.deserialize(TOPIC, value));
        long allocated = allocatedBytes() - before;

        assertThat(allocated).as("bytes allocated reading an 11-byte record").isLessThan(ONE_MB);
        assertThat(thrown)
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(WireFormatException.Reason.TRUNCATED))
                .hasMessageContaining("string of 1900000000 bytes")
                .hasMessageContaining("11 bytes");
    }

    @Test
    void shouldRefuseAMapWithMoreEntriesThanTheRecordHasBytes() throws IOException {
        byte[] good = serializer.serialize(TOPIC, timing(Map.of()));
        // every field of a good record before its tags map, then a tags map that claims a billion
        // entries; the good record ends with an empty map, warmup and runEnd false and generators
        // 0, a 0 byte each
        ByteArrayOutputStream pill = header(good);
        pill.write(good, WireFormat.HEADER_SIZE, good.length - WireFormat.HEADER_SIZE - 4);
        BinaryEncoder avro = EncoderFactory.get().directBinaryEncoder(pill, null);
        avro.writeMapStart();
        avro.setItemCount(1_000_000_000L);
        avro.flush();
        byte[] value = pill.toByteArray();

        long before = allocatedBytes();
        Throwable thrown = catchThrowable(() -> deserializer.deserialize(TOPIC, value));
        long allocated = allocatedBytes() - before;

        assertThat(allocated).as("bytes allocated reading the record").isLessThan(ONE_MB);
        assertThat(thrown)
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(WireFormatException.Reason.TRUNCATED))
                .hasMessageContaining("map of 1000000000 items");
    }

    @Test
    void shouldReadMapsWrittenInBlocksThatCarryTheirSize() throws IOException {
        RequestTiming timing = timing(Map.of("region", "eu", "build", "1.2.3", "zone", "b"));
        byte[] good = serializer.serialize(TOPIC, timing);
        ByteArrayOutputStream blocked = header(good);
        BinaryEncoder avro = EncoderFactory.get().blockingBinaryEncoder(blocked, null);
        new SpecificDatumWriter<>(RequestTiming.class).write(timing, avro);
        avro.flush();

        assertThat(deserializer.deserialize(TOPIC, blocked.toByteArray())).isEqualTo(timing);
    }

    @Test
    void shouldReadEveryAvroTypeAsAvroWroteIt() throws IOException {
        Schema schema =
                new Schema.Parser()
                        .parse(
                                """
{"type":"record","name":"Every","fields":[
  {"name":"flag","type":"boolean"},
  {"name":"small","type":"int"},
  {"name":"big","type":"long"},
  {"name":"ratio","type":"float"},
  {"name":"precise","type":"double"},
  {"name":"raw","type":"bytes"},
  {"name":"hash","type":{"type":"fixed","name":"Hash","size":4}},
  {"name":"colour","type":{"type":"enum","name":"Colour","symbols":["RED","BLUE"]}},
  {"name":"maybe","type":["null","string"]},
  {"name":"list","type":{"type":"array","items":"long"}},
  {"name":"nothings","type":{"type":"array","items":"null"}},
  {"name":"text","type":"string"}]}
""");
        GenericRecord every = new GenericData.Record(schema);
        every.put("flag", true);
        every.put("small", -123_456);
        every.put("big", Long.MIN_VALUE);
        every.put("ratio", 1.5f);
        every.put("precise", -2.25e300);
        every.put("raw", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        every.put("hash", new GenericData.Fixed(schema.getField("hash").schema(), new byte[4]));
        every.put("colour", new GenericData.EnumSymbol(schema.getField("colour").schema(), "BLUE"));
        every.put("maybe", "here");
        every.put("list", List.of(1L, -1L, Long.MAX_VALUE));
        // nulls take no bytes: more of them than there are bytes left is no lie
        every.put("nothings", Collections.nCopies(50, null));
        every.put("text", "ünïcødé");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {0, 0, 0, 0, (byte) registry.register("every", schema)});
        BinaryEncoder avro = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(schema).write(every, avro);

        GenericRecord read =
                AvroDeserializer.generic(registry, schema).deserialize(TOPIC, bytes.toByteArray());

        assertThat(read).isEqualTo(every);
    }

    /** The 5-byte wire-format header of {@code record}. */
    private static ByteArrayOutputStream header(byte[] record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(record, 0, WireFormat.HEADER_SIZE);
        return out;
    }

    /** Bytes this thread has allocated so far. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static RequestTiming timing(Map<String, String> tags) {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("checkout")
                .setEndpoint("GET /cart")
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(1_700_000_000_000_000L)
                .setActualSendTimeUs(1_700_000_000_000_100L)
                .setLatencyUs(4_200)
                .setOutcome(Outcome.SUCCESS)
                .setTags(Map.copyOf(tags))
                .build();
    }
}
