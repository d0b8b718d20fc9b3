package io.loadstream.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.cluster.LocalKafkaCluster;
import io.loadstream.schemas.registry.RegistryErrors;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.registry.SchemaRegistryException;
import io.loadstream.schemas.serde.AvroDeserializer;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.serde.WireFormat;
import io.loadstream.schemas.topic.CleanupPolicy;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.TopicSpec;
import io.loadstream.schemas.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The serdes and the registry client against the embedded registry's HTTP API, on a real broker:
 * records round-trip, the bytes on the topic are in the Confluent wire format, schema evolution
 * follows BACKWARD compatibility.
 */
class SchemaRegistryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalKafkaCluster kafka;
    private static EmbeddedSchemaRegistry registry;
    private static SchemaRegistryClient client;
    private static Topics topics;

    @BeforeAll
    static void start() {
        kafka = LocalKafkaCluster.start();
        registry = EmbeddedSchemaRegistry.start(kafkaConfig(), Topics.registryTopic("it."));
        client = new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
        topics = new Topics("it." + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(kafkaConfig())) {
            new TopicSetup(admin, Optional.empty()).ensure(topics.specs());
        }
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
    void shouldReadBackEqualRecordInWireFormatWithTheRegistrysId() throws Exception {
        AvroSerdes serdes = new AvroSerdes(client);
        Topic<SeriesKey, RequestTiming> timings = topics.timings();
        RequestTiming timing = timing("checkout");
        SeriesKey key = new SeriesKey("run-1", "steady", "checkout", "gen-1");

        try (var producer =
                new KafkaProducer<>(
                        producerConfig(),
                        serdes.keySerde(timings).serializer(),
                        serdes.valueSerde(timings).serializer())) {
            producer.send(new ProducerRecord<>(timings.name(), key, timing)).get();
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll(timings.name(), 1);
        byte[] value = records.get(0).value();

        JsonNode latest = httpGet("/subjects/" + timings.name() + "-value/versions/latest");
        assertThat(value[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        assertThat(ByteBuffer.wrap(value, 1, 4).getInt()).isEqualTo(latest.get("id").asInt());
        assertThat(serdes.valueSerde(timings).deserializer().deserialize(timings.name(), value))
                .isEqualTo(timing);
        assertThat(
                        serdes.keySerde(timings)
                                .deserializer()
                                .deserialize(timings.name(), records.get(0).key()))
                .isEqualTo(key);
        assertThat(client.subjects()).contains(timings.name() + "-value", timings.name() + "-key");
    }

    @Test
    void shouldRefuseSchemaThatBreaksBackwardCompatibility() throws Exception {
        String subject = "evolution-" + UUID.randomUUID() + "-value";
        Schema v1 = SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();
        Schema v2 =
                SchemaBuilder.record("Thing")
                        .fields()
                        .requiredString("name")
                        .requiredLong("size")
                        .endRecord();
        client.register(subject, v1);

        assertThat(client.isCompatible(subject, v2)).isFalse();
        assertThatThrownBy(() -> client.register(subject, v2))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(409);
                            assertThat(e.errorCode()).isEqualTo(RegistryErrors.INCOMPATIBLE_SCHEMA);
                        })
                .hasMessageContaining("incompatible")
                .hasMessageContaining("size");
        HttpResponse<String> raw =
                http(
                        "POST",
                        "/subjects/" + subject + "/versions",
                        JSON.createObjectNode().put("schema", v2.toString()).toString());
        assertThat(raw.statusCode()).isEqualTo(409);
        assertThat(raw.headers().firstValue("Content-Type")).hasValue(RegistryErrors.CONTENT_TYPE);
        assertThat(JSON.readTree(raw.body()).get("error_code").asInt()).isEqualTo(409);
        assertThat(client.versions(subject)).containsExactly(1);
    }

    @Test
    void shouldReadOldRecordsWithNewerCompatibleReaderSchema() throws Exception {
        AvroSerdes serdes = new AvroSerdes(client);
        Topic<SeriesKey, RequestTiming> timings = topics.timings();
        String subject = timings.name() + "-value";
        RequestTiming old = timing("search");
        byte[] oldBytes = serdes.valueSerde(timings).serializer().serialize(timings.name(), old);

        Schema newer = withRegionField(RequestTiming.getClassSchema());
        int newId = client.register(subject, newer);
        GenericRecord read =
                AvroDeserializer.generic(client, newer).deserialize(timings.name(), oldBytes);

        assertThat(newId).isNotEqualTo(WireFormat.schemaId(oldBytes));
        assertThat(client.versions(subject)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(read.get("endpoint")).hasToString("search");
        assertThat(read.get("latencyUs")).isEqualTo(old.getLatencyUs());
        assertThat(read.get("region")).hasToString("unknown");
    }

    @Test
    void shouldAnswerWithConfluentErrorCodes() throws Exception {
        assertThat(errorCode(http("GET", "/subjects/no-such-subject/versions", null)))
                .isEqualTo(40401);
        assertThat(errorCode(http("GET", "/schemas/ids/2147483000", null))).isEqualTo(40403);
        String subject = "codes-" + UUID.randomUUID();
        client.register(subject, Schema.create(Schema.Type.STRING));
        assertThat(errorCode(http("GET", "/subjects/" + subject + "/versions/7", null)))
                .isEqualTo(40402);
        assertThat(errorCode(http("POST", "/subjects/" + subject, "{\"schema\":\"\\\"long\\\"\"}")))
                .isEqualTo(40403);
        assertThat(
                        errorCode(
                                http(
                                        "POST",
                                        "/subjects/" + subject + "/versions",
                                        "{\"schema\":\"{nope\"}")))
                .isEqualTo(42201);
        assertThat(client.lookup(subject, Schema.create(Schema.Type.STRING)).version())
                .isEqualTo(1);
        assertThat(client.compatibility(subject).name()).isEqualTo("BACKWARD");
    }

    @Test
    void shouldShareSchemasBetweenRegistriesOnOneTopic() {
        String subject = "shared-" + UUID.randomUUID();
        Schema schema = SchemaBuilder.record("Shared").fields().requiredInt("n").endRecord();
        int id = client.register(subject, schema);

        try (EmbeddedSchemaRegistry second =
                EmbeddedSchemaRegistry.start(kafkaConfig(), Topics.registryTopic("it."))) {
            SchemaRegistryClient other =
                    new SchemaRegistryClient(SchemaRegistryConfig.of(second.url()));
            assertThat(other.schemaById(id)).isEqualTo(schema);
            assertThat(other.register(subject, schema)).isEqualTo(id);
        }
    }

    @Test
    void shouldServeEveryGoodSchemaAroundUnreadableRecordsOfTheSchemasTopic() throws Exception {
        String topic = Topics.registryTopic("it." + UUID.randomUUID() + ".");
        Schema before = SchemaBuilder.record("Before").fields().requiredInt("n").endRecord();
        Schema after = SchemaBuilder.record("After").fields().requiredLong("m").endRecord();
        Schema later = SchemaBuilder.record("Later").fields().requiredString("s").endRecord();
        // valid JSON, but Avro's parser fails on it with a NullPointerException
        String notAvro =
                "{\"type\":\"record\",\"name\":\"Bad\",\"fields\":"
                        + "[{\"name\":\"a\",\"type\":\"int\",\"order\":1}]}";
        writeToSchemasTopic(
                topic,
                schemaRecord(topic, "before", 1, 9001, before.toString()),
                new ProducerRecord<>(topic, 0, "not json", "{}"),
                schemaRecord(topic, "bad", 1, 9002, notAvro),
                schemaRecord(topic, "after", 1, 9003, after.toString()));

        try (EmbeddedSchemaRegistry own = EmbeddedSchemaRegistry.start(kafkaConfig(), topic)) {
            SchemaRegistryClient reader =
                    new SchemaRegistryClient(SchemaRegistryConfig.of(own.url()));
            assertThat(reader.schemaById(9001)).isEqualTo(before);
            assertThat(reader.schemaById(9003)).isEqualTo(after);
            assertThat(own.unreadableRecords()).isEqualTo(2);

            // the same while running: the look-up of an unknown id catches up with the topic
            writeToSchemasTopic(
                    topic,
                    schemaRecord(topic, "bad", 2, 9004, notAvro),
                    schemaRecord(topic, "later", 1, 9005, later.toString()));
            assertThat(reader.schemaById(9005)).isEqualTo(later);
            assertThat(own.unreadableRecords()).isEqualTo(3);
        }
    }

    /** A schema record as the registry writes it to its topic. */
    private static ProducerRecord<String, String> schemaRecord(
            String topic, String subject, int version, int id, String schema) {
        String key =
                JSON.createObjectNode()
                        .put("keytype", "SCHEMA")
                        .put("subject", subject)
                        .put("version", version)
                        .put("magic", 1)
                        .toString();
        String value =
                JSON.createObjectNode()
                        .put("subject", subject)
                        .put("version", version)
                        .put("id", id)
                        .put("schema", schema)
                        .put("deleted", false)
                        .toString();
        return new ProducerRecord<>(topic, 0, key, value);
    }

    /** Writes records to a schemas topic, created as the registry creates it, in one batch. */
    @SafeVarargs
    private static void writeToSchemasTopic(String topic, ProducerRecord<String, String>... records)
            throws Exception {
        try (Admin admin = Admin.create(kafkaConfig())) {
            new TopicSetup(admin, Optional.empty())
                    .ensure(List.of(new TopicSpec(topic, CleanupPolicy.COMPACT, 1)));
        }
        try (var producer =
                new KafkaProducer<>(
                        producerConfig(), new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<String, String> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> future : sent) {
                future.get();
            }
        }
    }

    private static Schema withRegionField(Schema schema) {
        JsonNode json;
        try {
            json = JSON.readTree(schema.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("fields"))
                .addObject()
                .put("name", "region")
                .put("type", "string")
                .put("default", "unknown");
        return new Schema.Parser().parse(json.toString());
    }

    static RequestTiming timing(String endpoint) {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("steady")
                .setEndpoint(endpoint)
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(1_700_000_000_000_000L)
                .setActualSendTimeUs(1_700_000_000_000_250L)
                .setLatencyUs(12_345)
                .setOutcome(Outcome.HTTP_ERROR)
                .setStatusCode(503)
                .setBytesSent(120)
                .setBytesReceived(2048)
                .setError("service unavailable")
                .setTags(Map.of("region", "eu"))
                .build();
    }

    private static int errorCode(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("error_code").asInt();
    }

    private static JsonNode httpGet(String path) throws Exception {
        HttpResponse<String> response = http("GET", path, null);
        assertThat(response.statusCode()).isEqualTo(200);
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

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Map<String, Object> config = new java.util.HashMap<>(kafkaConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    static Map<String, Object> kafkaConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true);
    }
}
