package io.loadstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.schemas.serde.AvroDeserializer;
import io.loadstream.schemas.serde.WireFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against schemas registered with references, as other serializers register them: the
 * {@code RequestTiming} record names the {@code Outcome} enum, which is a subject of its own.
 */
class SchemaRegistryClientReferencesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaReference OUTCOME =
            new SchemaReference(Outcome.getClassSchema().getFullName(), "outcome", 1);

    private FakeRegistryServer server;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server = new FakeRegistryServer();
        client = new SchemaRegistryClient(SchemaRegistryConfig.of(server.url()));
        server.answer(
                "/subjects/outcome/versions/1",
                version("outcome", 1, 3, SchemaDefinition.of(Outcome.getClassSchema())));
        server.answer("/schemas/ids/7", byId(timingNamingOutcome(List.of(OUTCOME))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldReadRecordsWrittenWithAReferencingSchemaWithoutACallPerRecord() throws Exception {
        AvroDeserializer<RequestTiming> deserializer =
                new AvroDeserializer<>(client, RequestTiming.class);
        Schema writer = client.schemaById(7);

        for (int i = 0; i < 100; i++) {
            RequestTiming timing = timing(i);
            assertThat(deserializer.deserialize("timings", wireFormat(7, writer, timing)))
                    .isEqualTo(timing);
        }
        assertThat(writer.getField("outcome").schema().getEnumSymbols())
                .isEqualTo(Outcome.getClassSchema().getEnumSymbols());
        assertThat(server.requested())
                .containsExactly("/schemas/ids/7", "/subjects/outcome/versions/1");
    }

    @Test
    void shouldFetchAReferencedVersionOnceForEverySchemaThatRefersToIt() {
        String outcomeCount =
                "{\"type\":\"record\",\"name\":\"OutcomeCount\",\"fields\":["
                        + "{\"name\":\"outcome\",\"type\":\"io.loadstream.avro.Outcome\"},"
                        + "{\"name\":\"count\",\"type\":\"long\"}]}";
        server.answer("/schemas/ids/9", byId(new SchemaDefinition(outcomeCount, List.of(OUTCOME))));

        client.schemaById(7);
        client.schemaById(9);

        assertThat(client.schemaById(9).getField("outcome").schema())
                .isEqualTo(Outcome.getClassSchema());
        assertThat(server.requested())
                .containsExactly(
                        "/schemas/ids/7", "/subjects/outcome/versions/1", "/schemas/ids/9");
    }

    @Test
    void shouldNameTheReferenceThatCannotBeFetched() {
        SchemaReference missing = new SchemaReference(OUTCOME.name(), "outcomes", 1);
        server.answer("/schemas/ids/10", byId(timingNamingOutcome(List.of(missing))));

        assertThatThrownBy(() -> client.schemaById(10))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.SUBJECT_NOT_FOUND))
                .hasMessageContaining(
                        "schema id 10 refers to io.loadstream.avro.Outcome (subject 'outcomes',"
                                + " version 1), which cannot be fetched")
                .hasMessageContaining("GET /subjects/outcomes/versions/1");
        assertThatThrownBy(
                        () ->
                                new AvroDeserializer<>(client, RequestTiming.class)
                                        .deserialize(
                                                "timings", new byte[] {0, 0, 0, 0, 10, 0, 0, 0, 0}))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.REGISTRY_ERROR))
                .hasMessageContaining("subject 'outcomes'");
    }

    @Test
    void shouldGiveTheReferencesOfAVersion() {
        SchemaDefinition timing = timingNamingOutcome(List.of(OUTCOME));
        server.answer("/subjects/timings-value/versions/2", version("timings-value", 2, 7, timing));

        RegisteredSchema registered = client.version("timings-value", "2");

        assertThat(registered.references()).containsExactly(OUTCOME);
        assertThat(registered.id()).isEqualTo(7);
        assertThat(registered.schema().getField("outcome").schema().getType())
                .isEqualTo(Schema.Type.ENUM);
    }

    /**
     * RequestTiming's text as a serializer with references writes it: the enum named, not inlined.
     */
    @SuppressWarnings("deprecation")
    static SchemaDefinition timingNamingOutcome(List<SchemaReference> references) {
        return new SchemaDefinition(
                RequestTiming.getClassSchema().toString(List.of(Outcome.getClassSchema()), false),
                references);
    }

    private static String byId(SchemaDefinition definition) {
        return definition.writeTo(JSON.createObjectNode()).toString();
    }

    private static String version(
            String subject, int version, int id, SchemaDefinition definition) {
        ObjectNode node =
                JSON.createObjectNode()
                        .put("subject", subject)
                        .put("version", version)
                        .put("id", id);
        return definition.writeTo(node).toString();
    }

    private static byte[] wireFormat(int id, Schema writer, RequestTiming timing)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(
                new byte[] {
                    0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id
                });
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<RequestTiming>(writer).write(timing, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static RequestTiming timing(int i) {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("steady")
                .setEndpoint("checkout")
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(1_700_000_000_000_000L + i)
                .setActualSendTimeUs(1_700_000_000_000_250L + i)
                .setLatencyUs(1_000 + i)
                .setOutcome(Outcome.values()[i % Outcome.values().length])
                .setTags(Map.of())
                .build();
    }
}
