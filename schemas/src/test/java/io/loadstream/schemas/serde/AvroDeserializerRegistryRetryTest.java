package io.loadstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.schemas.registry.InMemorySchemaRegistry;
import io.loadstream.schemas.registry.RegistryErrors;
import io.loadstream.schemas.registry.SchemaRegistry;
import io.loadstream.schemas.registry.SchemaRegistryException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * A registry that fails transiently is asked again with backoff, on an injected clock; a definite
 * answer is taken at once.
 */
class AvroDeserializerRegistryRetryTest {

    private static final String TOPIC = "test.timings";

    private final InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
    private final byte[] record =
            new AvroSerializer<>(schemas, RequestTiming.class, false).serialize(TOPIC, timing());
    private final List<Duration> waits = new ArrayList<>();
    private long nanos;
    private final RegistryRetry retry =
            new RegistryRetry(
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5),
                    () -> nanos,
                    wait -> {
                        waits.add(Duration.ofNanos(wait));
                        nanos += wait;
                    });

    @Test
    void shouldWaitForARegistryThatComesBackWithinTheBudget() {
        FlakyRegistry registry = new FlakyRegistry(3, unreachable());

        RequestTiming read =
                new AvroDeserializer<>(registry, RequestTiming.class, retry)
                        .deserialize(TOPIC, record);

        assertThat(read).isEqualTo(timing());
        assertThat(registry.calls).isEqualTo(4);
        assertThat(waits).containsExactly(millis(100), millis(200), millis(400));
    }

    @Test
    void shouldGiveUpAfterTheBudgetAsARegistryErrorNotAsABadRecord() {
        FlakyRegistry registry = new FlakyRegistry(Integer.MAX_VALUE, overloaded());

        assertThatThrownBy(
                        () ->
                                new AvroDeserializer<>(registry, RequestTiming.class, retry)
                                        .deserialize(TOPIC, record))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo(WireFormatException.Reason.REGISTRY_ERROR);
                            assertThat(e.getCause())
                                    .isInstanceOfSatisfying(
                                            SchemaRegistryException.class,
                                            cause -> assertThat(cause.isTransient()).isTrue());
                        })
                .hasMessageContaining("cannot be read now")
                .hasMessageContaining("tried 8 times");
        // 100 + 200 + 400 + 800 + 1000 + 1000 + 1000 ms, then the next wait would pass 5 s
        assertThat(waits).hasSize(7);
        assertThat(waits.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(4_500);
        assertThat(Duration.ofNanos(nanos)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldTakeANotFoundAtOnceAsAnUnknownSchemaId() {
        FlakyRegistry registry =
                new FlakyRegistry(
                        Integer.MAX_VALUE,
                        new SchemaRegistryException(
                                404, RegistryErrors.SCHEMA_NOT_FOUND, "Schema 1 not found"));

        assertThatThrownBy(
                        () ->
                                new AvroDeserializer<>(registry, RequestTiming.class, retry)
                                        .deserialize(TOPIC, record))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.UNKNOWN_SCHEMA_ID));
        assertThat(registry.calls).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void shouldNotAskAgainWhenTheRegistryRefuses() {
        FlakyRegistry registry =
                new FlakyRegistry(
                        Integer.MAX_VALUE,
                        new SchemaRegistryException(401, 401, "Unauthorized (error code 401)"));

        assertThatThrownBy(
                        () ->
                                new AvroDeserializer<>(registry, RequestTiming.class, retry)
                                        .deserialize(TOPIC, record))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.REGISTRY_ERROR));
        assertThat(registry.calls).isEqualTo(1);
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }

    private static SchemaRegistryException unreachable() {
        return new SchemaRegistryException(
                "schema registry http://127.0.0.1:1 is unreachable (Connection refused)",
                new ConnectException("Connection refused"));
    }

    private static SchemaRegistryException overloaded() {
        return new SchemaRegistryException(503, 503, "Service Unavailable (error code 503)");
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

    /** Fails the first {@code failures} lookups with {@code failure}, then answers. */
    private final class FlakyRegistry implements SchemaRegistry {
        private final int failures;
        private final SchemaRegistryException failure;
        int calls;

        FlakyRegistry(int failures, SchemaRegistryException failure) {
            this.failures = failures;
            this.failure = failure;
        }

        @Override
        public int register(String subject, Schema schema) {
            return schemas.register(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            calls++;
            if (calls <= failures) {
                throw failure;
            }
            return schemas.schemaById(id);
        }
    }
}
