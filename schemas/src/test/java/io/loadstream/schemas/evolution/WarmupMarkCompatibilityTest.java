package io.loadstream.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.WindowStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
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
 * The warm-up mark was added to three schemas with a default, so that records written before it
 * read as not warm-up and readers that predate it read new records: the schemas are fully
 * compatible with their versions before the mark.
 */
class WarmupMarkCompatibilityTest {

    static Stream<Schema> markedSchemas() {
        return Stream.of(
                RequestTiming.getClassSchema(),
                IntervalHistogram.getClassSchema(),
                WindowStats.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("markedSchemas")
    void shouldBeFullyCompatibleWithTheSchemaBeforeTheMark(Schema current) {
        Schema before = withoutWarmup(current);

        assertThat(current.getField("warmup").hasDefaultValue()).isTrue();
        assertThat(compatible(current, before)).as("new reader, old writer").isTrue();
        assertThat(compatible(before, current)).as("old reader, new writer").isTrue();
    }

    @Test
    void shouldReadATimingWrittenBeforeTheMarkAsNotWarmup() throws IOException {
        Schema before = withoutWarmup(RequestTiming.getClassSchema());
        GenericRecord old = new GenericData.Record(before);
        old.put("runId", "r");
        old.put("scenario", "s");
        old.put("endpoint", "e");
        old.put("generatorId", "g");
        old.put("intendedSendTimeUs", 1L);
        old.put("actualSendTimeUs", 2L);
        old.put("latencyUs", 3L);
        old.put(
                "outcome",
                new GenericData.EnumSymbol(before.getField("outcome").schema(), "SUCCESS"));
        old.put("statusCode", 200);
        old.put("bytesSent", 0L);
        old.put("bytesReceived", 0L);
        old.put("error", null);
        old.put("tags", Map.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(before).write(old, encoder);
        encoder.flush();

        RequestTiming read =
                new SpecificDatumReader<RequestTiming>(before, RequestTiming.getClassSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getWarmup()).isFalse();
        assertThat(read.getOutcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(read.getLatencyUs()).isEqualTo(3L);
    }

    private static boolean compatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    /**
     * {@code schema} as it was before the warm-up mark: the fields before {@code warmup}, which was
     * the last field then.
     */
    private static Schema withoutWarmup(Schema schema) {
        List<Schema.Field> fields =
                schema.getFields().stream()
                        .takeWhile(f -> !f.name().equals("warmup"))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList();
        assertThat(fields).hasSize(schema.getField("warmup").pos());
        return Schema.createRecord(
                schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
