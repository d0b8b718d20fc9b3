package io.loadstream.analytics.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchException;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.schemas.registry.InMemorySchemaRegistry;
import io.loadstream.schemas.registry.RegistryErrors;
import io.loadstream.schemas.registry.SchemaRegistryException;
import io.loadstream.schemas.serde.AvroDeserializer;
import io.loadstream.schemas.serde.AvroSerializer;
import io.loadstream.schemas.serde.WireFormatException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationHandlerTest {

    private static final String SOURCE = "test.timings";
    private static final String DEAD_LETTERS = "test.dead-letters";
    private static final int PARTITION = 3;
    private static final long OFFSET = 1042L;

    private final DeadLetterCounts counts = new DeadLetterCounts();
    private final long[] nanos = {5_000_000_000L};
    private DeadLetterDeserializationHandler handler;

    @BeforeEach
    void setUp() {
        handler = new DeadLetterDeserializationHandler(() -> nanos[0]);
        handler.configure(
                Map.of(
                        DeadLetterDeserializationHandler.TOPIC_CONFIG,
                        DEAD_LETTERS,
                        DeadLetterCounts.CONFIG_KEY,
                        counts));
    }

    @Test
    void shouldSendRandomBytesToDeadLettersAsUnreadable() {
        byte[] key = "series-7".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[64];
        new Random(42).nextBytes(value);
        value[0] = 0x7f; // not the magic byte, whatever the seed gives

        Response response = handle(key, value);

        ProducerRecord<byte[], byte[]> deadLetter = onlyDeadLetter(response);
        assertThat(deadLetter.topic()).isEqualTo(DEAD_LETTERS);
        assertThat(deadLetter.key()).isEqualTo(key);
        assertThat(deadLetter.value()).isEqualTo(value);
        Headers headers = deadLetter.headers();
        assertThat(DeadLetterHeaders.reason(headers)).isEqualTo("unreadable");
        assertThat(DeadLetterHeaders.detail(headers)).contains("not the magic byte");
        assertThat(DeadLetterHeaders.sourceTopic(headers)).isEqualTo(SOURCE);
        assertThat(DeadLetterHeaders.sourcePartition(headers)).isEqualTo(PARTITION);
        assertThat(DeadLetterHeaders.sourceOffset(headers)).isEqualTo(OFFSET);
        assertThat(DeadLetterHeaders.processor(headers)).isEqualTo("timings-source");
        assertThat(counts.count(DeadLetterReason.UNREADABLE)).isEqualTo(1);
        assertThat(counts.total()).isEqualTo(1);
    }

    @Test
    void shouldSendRecordWithUnknownSchemaIdToDeadLettersWithNullKey() {
        // written against one registry, read against another that never saw the schema
        byte[] value =
                new AvroSerializer<>(new InMemorySchemaRegistry(), RequestTiming.class, false)
                        .serialize(SOURCE, timing());

        Response response = handle(null, value);

        ProducerRecord<byte[], byte[]> deadLetter = onlyDeadLetter(response);
        assertThat(deadLetter.key()).isNull();
        assertThat(deadLetter.value()).isEqualTo(value);
        assertThat(DeadLetterHeaders.reason(deadLetter.headers())).isEqualTo("unknown-schema");
        assertThat(DeadLetterHeaders.detail(deadLetter.headers())).contains("schema id 1");
        assertThat(counts.count(DeadLetterReason.UNKNOWN_SCHEMA)).isEqualTo(1);
        assertThat(counts.count(DeadLetterReason.UNREADABLE)).isZero();
    }

    @Test
    void shouldSendTruncatedRecordWithKnownSchemaToDeadLettersAsUnreadable() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        byte[] whole =
                new AvroSerializer<>(registry, RequestTiming.class, false)
                        .serialize(SOURCE, timing());
        byte[] truncated = Arrays.copyOf(whole, 12);
        Exception exception =
                catchException(
                        () ->
                                new AvroDeserializer<>(registry, RequestTiming.class)
                                        .deserialize(SOURCE, truncated));

        Response response =
                handler.handleError(new FakeContext(), record(null, truncated), exception);

        assertThat(DeadLetterHeaders.reason(onlyDeadLetter(response).headers()))
                .isEqualTo("unreadable");
    }

    @Test
    void shouldFindTheReasonInTheCauseChain() {
        Exception unknownId = deserializationError(null, new byte[] {0, 0, 0, 0, 9, 1, 2});
        Exception wrapped = new StreamsException("wrapped", new RuntimeException(unknownId));

        assertThat(DeadLetterDeserializationHandler.reasonOf(wrapped))
                .contains(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(DeadLetterDeserializationHandler.reasonOf(new SerializationException("x")))
                .contains(DeadLetterReason.UNREADABLE);
    }

    @Test
    void shouldFailTheThreadNotDeadLetterTheRecordWhenTheRegistryCannotBeAsked() {
        List<SchemaRegistryException> registryFailures =
                List.of(
                        new SchemaRegistryException(
                                "schema registry http://127.0.0.1:1 is unreachable",
                                new ConnectException("Connection refused")),
                        new SchemaRegistryException(
                                "schema registry http://127.0.0.1:1 did not answer GET"
                                        + " /schemas/ids/1 within 30000 ms",
                                new HttpTimeoutException("request timed out")),
                        new SchemaRegistryException(503, 503, "Service Unavailable"),
                        new SchemaRegistryException(500, 50001, "Error in the backend store"),
                        new SchemaRegistryException(429, 429, "Too Many Requests"),
                        new SchemaRegistryException(401, 401, "Unauthorized"),
                        // a wrong URL path: a bare 404, not the registry's 40403
                        new SchemaRegistryException(404, 404, "HTTP 404"));

        for (SchemaRegistryException failure : registryFailures) {
            Exception exception =
                    new WireFormatException(
                            WireFormatException.Reason.REGISTRY_ERROR,
                            "cannot fetch schema id 1 for a record on topic " + SOURCE,
                            failure);

            Response response =
                    handler.handleError(new FakeContext(), record(null, timingBytes()), exception);

            assertThat(response.result()).as(failure.getMessage()).isEqualTo(Result.FAIL);
            assertThat(response.deadLetterQueueRecords()).isEmpty();
        }
        assertThat(counts.total()).isZero();
    }

    @Test
    void shouldSendADefiniteSchemaNotFoundToDeadLetters() {
        Exception exception =
                new StreamsException(
                        new SchemaRegistryException(
                                404, RegistryErrors.SCHEMA_NOT_FOUND, "Schema 9 not found"));

        assertThat(DeadLetterDeserializationHandler.reasonOf(exception))
                .contains(DeadLetterReason.UNKNOWN_SCHEMA);
    }

    @Test
    void shouldFailOnAnExceptionThatIsNotASerializationError() {
        Response response =
                handler.handleError(
                        new FakeContext(),
                        record(null, timingBytes()),
                        new IllegalStateException("deserializer bug"));

        assertThat(response.result()).isEqualTo(Result.FAIL);
        assertThat(counts.total()).isZero();
    }

    @Test
    void shouldTruncateLongDetail() {
        String longMessage = "x".repeat(2_000);

        Response response =
                handler.handleError(
                        new FakeContext(),
                        record(null, new byte[] {1}),
                        new SerializationException(longMessage));

        assertThat(DeadLetterHeaders.detail(onlyDeadLetter(response).headers()))
                .hasSize(DeadLetterHeaders.MAX_DETAIL_LENGTH);
    }

    @Test
    void shouldCountInAPrivateInstanceWhenNoneIsShared() {
        DeadLetterDeserializationHandler alone = new DeadLetterDeserializationHandler();
        alone.configure(Map.of(DeadLetterDeserializationHandler.TOPIC_CONFIG, DEAD_LETTERS));

        alone.handleError(
                new FakeContext(), record(null, new byte[] {1}), new SerializationException("bad"));

        assertThat(alone.counts().count(DeadLetterReason.UNREADABLE)).isEqualTo(1);
        assertThat(counts.total()).isZero();
    }

    @Test
    void shouldRefuseConfigWithoutTopic() {
        DeadLetterDeserializationHandler unconfigured = new DeadLetterDeserializationHandler();
        Map<String, Object> blank = new HashMap<>();
        blank.put(DeadLetterDeserializationHandler.TOPIC_CONFIG, " ");

        assertThatThrownBy(() -> unconfigured.configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DeadLetterDeserializationHandler.TOPIC_CONFIG);
        assertThatThrownBy(() -> unconfigured.configure(blank))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DeadLetterDeserializationHandler.TOPIC_CONFIG);
    }

    @Test
    void shouldRefuseCountsOfTheWrongType() {
        Map<String, Object> configs =
                Map.of(
                        DeadLetterDeserializationHandler.TOPIC_CONFIG,
                        DEAD_LETTERS,
                        DeadLetterCounts.CONFIG_KEY,
                        "not counts");

        assertThatThrownBy(() -> new DeadLetterDeserializationHandler().configure(configs))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DeadLetterCounts.CONFIG_KEY);
    }

    @Test
    void shouldLogAtMostOnceASecondButCountEveryDeadLetter() {
        for (int i = 0; i < 5; i++) {
            handle(null, new byte[] {1, 2, 3});
        }
        // the first was logged, the other four were left out
        assertThat(handler.unloggedSinceLastWarning()).isEqualTo(4);

        nanos[0] += 999_999_999L;
        handle(null, new byte[] {1, 2, 3});
        assertThat(handler.unloggedSinceLastWarning()).isEqualTo(5);

        nanos[0] += 1L;
        handle(null, new byte[] {1, 2, 3});
        assertThat(handler.unloggedSinceLastWarning()).isZero();
        assertThat(counts.count(DeadLetterReason.UNREADABLE)).isEqualTo(7);
    }

    private Response handle(byte[] key, byte[] value) {
        return handler.handleError(
                new FakeContext(), record(key, value), deserializationError(key, value));
    }

    /** What the pipeline's deserializer throws for these bytes, against an empty registry. */
    private static Exception deserializationError(byte[] key, byte[] value) {
        Exception exception =
                catchException(
                        () ->
                                new AvroDeserializer<>(
                                                new InMemorySchemaRegistry(), RequestTiming.class)
                                        .deserialize(SOURCE, value));
        assertThat(exception).as("deserializing the bad bytes must fail").isNotNull();
        return exception;
    }

    private static byte[] timingBytes() {
        return new AvroSerializer<>(new InMemorySchemaRegistry(), RequestTiming.class, false)
                .serialize(SOURCE, timing());
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ConsumerRecord<>(SOURCE, PARTITION, OFFSET, key, value);
    }

    private static ProducerRecord<byte[], byte[]> onlyDeadLetter(Response response) {
        assertThat(response.result()).isEqualTo(Result.RESUME);
        List<ProducerRecord<byte[], byte[]>> records = response.deadLetterQueueRecords();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static RequestTiming timing() {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("checkout")
                .setEndpoint("GET /cart")
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(1_700_000_000_000_000L)
                .setActualSendTimeUs(1_700_000_000_000_100L)
                .setLatencyUs(4_200)
                .setOutcome(Outcome.SUCCESS)
                .build();
    }

    /** The context Kafka Streams would hand over for a record read at SOURCE-3 offset 1042. */
    private static final class FakeContext implements ErrorHandlerContext {
        @Override
        public String topic() {
            return SOURCE;
        }

        @Override
        public int partition() {
            return PARTITION;
        }

        @Override
        public long offset() {
            return OFFSET;
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "timings-source";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, PARTITION);
        }

        @Override
        public long timestamp() {
            return 1_700_000_000_000L;
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    }
}
