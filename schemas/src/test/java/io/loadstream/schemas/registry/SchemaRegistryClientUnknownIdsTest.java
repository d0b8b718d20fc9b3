package io.loadstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client remembers for a short while that the registry does not know a schema id. */
class SchemaRegistryClientUnknownIdsTest {

    private static final String SCHEMA_NOT_FOUND =
            "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}";

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private FakeRegistryServer server;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server = new FakeRegistryServer();
        server.answer("/schemas/ids/99", 404, SCHEMA_NOT_FOUND);
        client = new SchemaRegistryClient(SchemaRegistryConfig.of(server.url()), nanos::get);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldAskForAnUnknownIdOncePerThirtySeconds() {
        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(() -> client.schemaById(99))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.errorCode())
                                            .isEqualTo(RegistryErrors.SCHEMA_NOT_FOUND))
                    .hasMessageContaining("Schema 99 not found");
        }
        assertThat(server.requested()).containsExactly("/schemas/ids/99");

        nanos.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThatThrownBy(() -> client.schemaById(99)).hasMessageContaining("less than 30 s ago");
        assertThat(server.requested()).hasSize(1);

        nanos.addAndGet(1);
        assertThatThrownBy(() -> client.schemaById(99)).isInstanceOf(SchemaRegistryException.class);
        assertThat(server.requested()).hasSize(2);
    }

    @Test
    void shouldFindAnIdRegisteredAfterItWasUnknownOnceTheAnswerIsOld() {
        assertThatThrownBy(() -> client.schemaById(99)).isInstanceOf(SchemaRegistryException.class);
        server.answer("/schemas/ids/99", "{\"schema\":\"\\\"string\\\"\"}");

        nanos.addAndGet(SchemaRegistryClient.UNKNOWN_ID_TTL.toNanos());

        assertThat(client.schemaById(99).getType()).hasToString("STRING");
    }

    @Test
    void shouldNotRememberAFailureThatIsNotANotFound() {
        server.answer("/schemas/ids/5", 503, "{\"error_code\":50001,\"message\":\"store down\"}");

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.schemaById(5))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.isTransient()).isTrue());
        }

        assertThat(server.requested()).hasSize(3);
    }

    @Test
    void shouldForgetTheOldestIdPastTheBound() {
        UnknownSchemaIds unknown = new UnknownSchemaIds(Duration.ofSeconds(30), 3, nanos::get);
        SchemaRegistryException notFound =
                new SchemaRegistryException(404, RegistryErrors.SCHEMA_NOT_FOUND, "not found");

        for (int id = 1; id <= 4; id++) {
            unknown.remember(id, notFound);
        }

        assertThat(unknown.size()).isEqualTo(3);
        assertThat(unknown.find(1)).isNull();
        assertThat(unknown.find(2)).isNotNull();
        assertThat(unknown.find(4)).isNotNull();
    }
}
