package io.loadstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.schemas.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The serializer writes with the generated classes' own encoders (fast); its bytes must be those of
 * Avro's schema-driven writer, which every other reader of the topics expects.
 */
class AvroSerializerTest {

    private static final String TOPIC = "test.timings";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerializer<RequestTiming> serializer =
            new AvroSerializer<>(registry, RequestTiming.class, false);
    private final AvroDeserializer<RequestTiming> deserializer =
            new AvroDeserializer<>(registry, RequestTiming.class);

    @Test
    void shouldWriteTheBytesOfAvrosSchemaDrivenWriter() throws IOException {
        RequestTiming ok = timing(Outcome.SUCCESS, null, Map.of());
        RequestTiming failed = timing(Outcome.HTTP_ERROR, "HTTP 503", Map.of("region", "eu"));

        for (RequestTiming timing : new RequestTiming[] {ok, failed}) {
            byte[] written = serializer.serialize(TOPIC, timing);

            assertThat(Arrays.copyOfRange(written, 5, written.length))
                    .isEqualTo(schemaDriven(timing));
            assertThat(deserializer.deserialize(TOPIC, written)).isEqualTo(timing);
        }
    }

    @Test
    void shouldWriteTheSameBytesForEventsThatShareTheirLabels() throws IOException {
        // one serializer, many events with the same label instances, as the generator's sender
        RequestTiming first = timing(Outcome.SUCCESS, null, Map.of("build", "1.2"));
        for (int i = 0; i < 1_000; i++) {
            RequestTiming next = RequestTiming.newBuilder(first).build();
            next.setLatencyUs(i * 997L);
            next.setError(i % 3 == 0 ? "error " + i : null);
            next.setWarmup(i % 2 == 0);
            byte[] written = serializer.serialize(TOPIC, next);

            assertThat(Arrays.copyOfRange(written, 5, written.length))
                    .isEqualTo(schemaDriven(next));
        }
    }

    private static byte[] schemaDriven(RequestTiming timing) throws IOException {
        SpecificData model = new SpecificData();
        model.setCustomCoders(false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new SpecificDatumWriter<RequestTiming>(RequestTiming.getClassSchema(), model)
                .write(timing, encoder);
        return bytes.toByteArray();
    }

    private static RequestTiming timing(Outcome outcome, String error, Map<String, String> tags) {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("checkout")
                .setEndpoint("GET /cart")
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(1_700_000_000_000_000L)
                .setActualSendTimeUs(1_700_000_000_000_100L)
                .setLatencyUs(4_200)
                .setOutcome(outcome)
                .setStatusCode(503)
                .setBytesSent(120)
                .setBytesReceived(64)
                .setError(error)
                .setTags(Map.copyOf(tags))
                .build();
    }
}
