package io.loadstream.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.RequestTiming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The end marker ({@code runEnd}, {@code generators}) was added to the two input schemas with
 * defaults, so that records written before it read as requests and readers that predate it read new
 * records: the schemas are fully compatible with their versions before the marker.
 */
class EndMarkCompatibilityTest {

    private static final Set<String> MARK = Set.of("runEnd", "generators");

    static Stream<Schema> markedSchemas() {
        return Stream.of(RequestTiming.getClassSchema(), IntervalHistogram.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("markedSchemas")
    void shouldBeFullyCompatibleWithTheSchemaBeforeTheMarker(Schema current) {
        Schema before = withoutMarker(current);

        assertThat(current.getField("runEnd").hasDefaultValue()).isTrue();
        assertThat(current.getField("generators").hasDefaultValue()).isTrue();
        assertThat(compatible(current, before)).as("new reader, old writer").isTrue();
        assertThat(compatible(before, current)).as("old reader, new writer").isTrue();
    }

    @Test
    void shouldReadAPartialWrittenBeforeTheMarkerAsNoEnd() throws IOException {
        Schema before = withoutMarker(IntervalHistogram.getClassSchema());
        GenericRecord old = new GenericData.Record(before);
        old.put("runId", "r");
        old.put("scenario", "s");
        old.put("endpoint", "e");
        old.put("generatorId", "g");
        old.put("intervalStartUs", 1_000_000L);
        old.put("intervalEndUs", 2_000_000L);
        old.put("count", 7L);
        old.put("outcomeCounts", Map.of());
        old.put("histogram", ByteBuffer.allocate(0));
        old.put("uncorrectedHistogram", ByteBuffer.allocate(0));
        old.put("bytesSent", 0L);
        old.put("bytesReceived", 0L);
        old.put("late", 0L);
        old.put("firstIntendedUs", 0L);
        old.put("lastIntendedUs", 0L);
        old.put("warmup", false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(before).write(old, encoder);
        encoder.flush();

        IntervalHistogram read =
                new SpecificDatumReader<IntervalHistogram>(
                                before, IntervalHistogram.getClassSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getRunEnd()).isFalse();
        assertThat(read.getGenerators()).isZero();
        assertThat(read.getCount()).isEqualTo(7L);
    }

    private static boolean compatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    /** {@code schema} as it was before the end marker. */
    private static Schema withoutMarker(Schema schema) {
        List<Schema.Field> fields =
                schema.getFields().stream()
                        .filter(f -> !MARK.contains(f.name()))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList();
        assertThat(fields).hasSize(schema.getFields().size() - MARK.size());
        return Schema.createRecord(
                schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
