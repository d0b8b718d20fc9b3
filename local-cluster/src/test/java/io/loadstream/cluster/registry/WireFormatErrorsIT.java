package io.loadstream.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.avro.RequestTiming;
import io.loadstream.cluster.LocalKafkaCluster;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.registry.SchemaRegistryException;
import io.loadstream.schemas.serde.AvroDeserializer;
import io.loadstream.schemas.serde.AvroSerializer;
import io.loadstream.schemas.serde.WireFormatException;
import io.loadstream.schemas.serde.WireFormatException.Reason;
import io.loadstream.schemas.topic.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gives a specific error naming its cause, not an unrelated exception. */
class WireFormatErrorsIT {

    private static final String TOPIC = "bad-input";
    private static LocalKafkaCluster kafka;
    private static EmbeddedSchemaRegistry registry;
    private static SchemaRegistryClient client;
    private static AvroDeserializer<RequestTiming> deserializer;

    @BeforeAll
    static void start() {
        kafka = LocalKafkaCluster.start();
        registry =
                EmbeddedSchemaRegistry.start(
                        Map.of(
                                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()),
                        Topics.registryTopic("it."));
        client = new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
        deserializer = new AvroDeserializer<>(client, RequestTiming.class);
    }

    @AfterAll
    static void stop() {
        registry.close();
        kafka.close();
    }

    @Test
    void shouldNameMissingMagicByteForRandomBytes() {
        byte[] random = new byte[64];
        new Random(42).nextBytes(random);
        random[0] = (byte) 0x9c;

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, random))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_WIRE_FORMAT))
                .hasMessageContaining("0x9c")
                .hasMessageContaining("not the magic byte")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void shouldNameUnknownSchemaId() {
        byte[] record = {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 2, 'a', 2, 'b'};

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
                .hasMessageContaining("schema id " + 0x7ffffff0)
                .hasMessageContaining("does not know");
    }

    @Test
    void shouldNameTruncatedPayload() {
        byte[] whole =
                new AvroSerializer<>(client, RequestTiming.class, false)
                        .serialize(TOPIC, SchemaRegistryIT.timing("checkout"));
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

        assertThat(deserializer.deserialize(TOPIC, whole))
                .isEqualTo(SchemaRegistryIT.timing("checkout"));
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED))
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldNameRecordShorterThanHeader() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_SHORT))
                .hasMessageContaining("3 bytes");
    }

    @Test
    void shouldNameUnreachableRegistryAtStartUp() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        SchemaRegistryClient unreachable = new SchemaRegistryClient(SchemaRegistryConfig.of(url));

        assertThatThrownBy(unreachable::checkReachable)
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(url)
                .hasMessageContaining("unreachable");
    }
}
