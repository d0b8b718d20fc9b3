package io.loadstream.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.cluster.LocalKafkaCluster;
import io.loadstream.schemas.registry.RegistryErrors;
import io.loadstream.schemas.registry.SchemaDefinition;
import io.loadstream.schemas.registry.SchemaReference;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.serde.AvroDeserializer;
import io.loadstream.schemas.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schemas registered the way other Confluent-compatible serializers register them: the {@code
 * Outcome} enum is a subject of its own, and {@code RequestTiming}'s text names it, with a
 * reference, instead of inlining it. The embedded registry resolves and serves the references, and
 * the project's deserializer reads such records into the generated class.
 */
class SchemaReferencesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OUTCOME_NAME = Outcome.getClassSchema().getFullName();
    private static final SchemaReference OUTCOME = new SchemaReference(OUTCOME_NAME, "outcome", 1);

    private static LocalKafkaCluster kafka;
    private static EmbeddedSchemaRegistry registry;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void start() {
        kafka = LocalKafkaCluster.start();
        registry = EmbeddedSchemaRegistry.start(kafkaConfig(), Topics.registryTopic("it."));
        client = new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
        client.register("outcome", Outcome.getClassSchema());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldReadRecordsWrittenWithAReferencingSchemaIntoRequestTiming() throws Exception {
        String topic = "timings-" + UUID.randomUUID();
        try (Admin admin = Admin.create(kafkaConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        HttpResponse<String> registered =
                http("POST", "/subjects/" + topic + "-value/versions", registration(OUTCOME));
        assertThat(registered.statusCode()).isEqualTo(200);
        int id = JSON.readTree(registered.body()).get("id").asInt();
        List<RequestTiming> sent = List.of(timing(1, Outcome.SUCCESS), timing(2, Outcome.TIMEOUT));

        try (var producer =
                new KafkaProducer<>(
                        kafkaConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RequestTiming timing : sent) {
                producer.send(new ProducerRecord<>(topic, thirdPartyWireFormat(id, timing))).get();
            }
        }
        SchemaRegistryClient reader =
                new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
        AvroDeserializer<RequestTiming> deserializer =
                new AvroDeserializer<>(reader, RequestTiming.class);

        assertThat(readAll(topic, sent.size()))
                .extracting(bytes -> deserializer.deserialize(topic, bytes))
                .containsExactlyElementsOf(sent);
    }

    @Test
    void shouldServeTheReferencesOfASchemaByIdAndByVersion() throws Exception {
        String subject = "served-" + UUID.randomUUID();
        int id = client.register(subject, timingNamingOutcome(List.of(OUTCOME)));
        int plainId =
                client.register("plain-" + UUID.randomUUID(), Schema.create(Schema.Type.LONG));

        JsonNode byId = httpGet("/schemas/ids/" + id);
        JsonNode byVersion = httpGet("/subjects/" + subject + "/versions/1");
        JsonNode lookedUp =
                JSON.readTree(http("POST", "/subjects/" + subject, registration(OUTCOME)).body());

        JsonNode expected =
                JSON.readTree(
                        "[{\"name\":\""
                                + OUTCOME_NAME
                                + "\",\"subject\":\"outcome\",\"version\":1}]");
        assertThat(byId.get("references")).isEqualTo(expected);
        assertThat(byId.get("schema").asText())
                .contains("\"type\":\"Outcome\"")
                .doesNotContain("CONNECT_ERROR");
        assertThat(byVersion.get("references")).isEqualTo(expected);
        assertThat(byVersion.get("id").asInt()).isEqualTo(id);
        assertThat(lookedUp.get("id").asInt()).isEqualTo(id);
        assertThat(lookedUp.get("version").asInt()).isEqualTo(1);
        assertThat(httpGet("/schemas/ids/" + plainId).has("references")).isFalse();
        assertThat(client.version(subject, "1").references()).containsExactly(OUTCOME);
    }

    @Test
    void shouldRefuseAReferenceThatDoesNotResolveAsAnInvalidSchema() throws Exception {
        String subject = "refused-" + UUID.randomUUID();
        SchemaReference noSubject = new SchemaReference(OUTCOME_NAME, "no-such-subject", 1);
        SchemaReference noVersion = new SchemaReference(OUTCOME_NAME, "outcome", 9);

        HttpResponse<String> missingSubject =
                http("POST", "/subjects/" + subject + "/versions", registration(noSubject));
        HttpResponse<String> missingVersion =
                http("POST", "/subjects/" + subject + "/versions", registration(noVersion));
        HttpResponse<String> noReference =
                http("POST", "/subjects/" + subject + "/versions", registration());

        assertThat(List.of(missingSubject, missingVersion, noReference))
                .allSatisfy(
                        response -> {
                            assertThat(response.statusCode()).isEqualTo(422);
                            assertThat(JSON.readTree(response.body()).get("error_code").asInt())
                                    .isEqualTo(RegistryErrors.INVALID_SCHEMA);
                        });
        assertThat(JSON.readTree(missingSubject.body()).get("message").asText())
                .contains("subject 'no-such-subject'")
                .contains(OUTCOME_NAME);
        assertThat(JSON.readTree(missingVersion.body()).get("message").asText())
                .contains("version 9");
        assertThat(JSON.readTree(noReference.body()).get("message").asText())
                .contains(OUTCOME_NAME);
        assertThat(http("GET", "/subjects/" + subject + "/versions", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void shouldDeriveIdsFromTextAndReferencesAlikeOnEveryRegistryOfOneTopic() {
        client.register("outcome-copy", Outcome.getClassSchema());
        SchemaDefinition viaOutcome = timingNamingOutcome(List.of(OUTCOME));
        SchemaDefinition viaCopy =
                timingNamingOutcome(List.of(new SchemaReference(OUTCOME_NAME, "outcome-copy", 1)));
        int id = client.register("first-" + UUID.randomUUID(), viaOutcome);

        try (EmbeddedSchemaRegistry second =
                EmbeddedSchemaRegistry.start(kafkaConfig(), Topics.registryTopic("it."))) {
            SchemaRegistryClient other =
                    new SchemaRegistryClient(SchemaRegistryConfig.of(second.url()));
            assertThat(other.register("second-" + UUID.randomUUID(), viaOutcome)).isEqualTo(id);
            assertThat(other.register("copy-" + UUID.randomUUID(), viaCopy)).isNotEqualTo(id);
            assertThat(other.schemaById(id).getField("outcome").schema())
                    .isEqualTo(Outcome.getClassSchema());
        }
    }

    @Test
    void shouldResolveReferencesOfReferencedSchemas() {
        String suffix = UUID.randomUUID().toString();
        client.register(
                "country-" + suffix,
                new SchemaDefinition(
                        "{\"type\":\"enum\",\"name\":\"Country\",\"namespace\":\"it\",\"symbols\":[\"NL\",\"DE\"]}",
                        List.of()));
        client.register(
                "address-" + suffix,
                new SchemaDefinition(
                        "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"it\",\"fields\":["
                            + "{\"name\":\"country\",\"type\":\"it.Country\"}]}",
                        List.of(new SchemaReference("it.Country", "country-" + suffix, 1))));
        int person =
                client.register(
                        "person-" + suffix,
                        new SchemaDefinition(
                                "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"it\",\"fields\":["
                                    + "{\"name\":\"home\",\"type\":\"it.Address\"}]}",
                                List.of(
                                        new SchemaReference(
                                                "it.Address", "address-" + suffix, 1))));

        SchemaRegistryClient reader =
                new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
        Schema home = reader.schemaById(person).getField("home").schema();

        assertThat(home.getField("country").schema().getEnumSymbols()).containsExactly("NL", "DE");
    }

    /**
     * RequestTiming's text as a serializer with references writes it: the enum named, not inlined.
     */
    @SuppressWarnings("deprecation")
    private static SchemaDefinition timingNamingOutcome(List<SchemaReference> references) {
        return new SchemaDefinition(
                RequestTiming.getClassSchema().toString(List.of(Outcome.getClassSchema()), false),
                references);
    }

    private static String registration(SchemaReference... references) {
        return timingNamingOutcome(List.of(references))
                .writeTo(JSON.createObjectNode().put("schemaType", "AVRO"))
                .toString();
    }

    /**
     * Magic byte, id and Avro binary, written with the writer schema parsed as its owner has it.
     */
    private static byte[] thirdPartyWireFormat(int id, RequestTiming timing) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parser.parse(Outcome.getClassSchema().toString());
        Schema writer = parser.parse(timingNamingOutcome(List.of()).text());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(
                new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<RequestTiming>(writer).write(timing, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static RequestTiming timing(long latencyUs, Outcome outcome) {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("steady")
                .setEndpoint("checkout")
                .setGeneratorId("third-party")
                .setIntendedSendTimeUs(1_700_000_000_000_000L)
                .setActualSendTimeUs(1_700_000_000_000_100L)
                .setLatencyUs(latencyUs)
                .setOutcome(outcome)
                .setTags(Map.of())
                .build();
    }

    private static List<byte[]> readAll(String topic, int expected) {
        Map<String, Object> config = new HashMap<>(kafkaConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<byte[]> values = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(r -> values.add(r.value()));
                                return values.size() >= expected;
                            });
        }
        return values;
    }

    private static JsonNode httpGet(String path) throws Exception {
        HttpResponse<String> response = http("GET", path, null);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> http(String method, String path, String body)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(registry.url() + path))
                        .header("Content-Type", RegistryErrors.CONTENT_TYPE)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> kafkaConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    }
}
