package io.loadstream.testing;

import static org.awaitility.Awaitility.await;

import io.loadstream.cluster.LocalKafkaCluster;
import io.loadstream.cluster.registry.EmbeddedSchemaRegistry;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A started local Kafka cluster and embedded schema registry, with what an integration test needs
 * around them: client config, a registry client and serdes, topics under a prefix of the test's
 * own, producers, and readers of committed records. Tests get the JVM's shared one through {@link
 * LocalPipeline}; {@link #close()} stops the registry and the broker and deletes the broker's data.
 */
public final class TestPipeline implements AutoCloseable {

    private static final String REGISTRY_PREFIX = "test.";
    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger prefixes = new AtomicInteger();

    private final LocalKafkaCluster cluster;
    private final EmbeddedSchemaRegistry registry;
    private final ClientConfig clientConfig;
    private final SchemaRegistryClient registryClient;
    private final AvroSerdes serdes;

    private TestPipeline(LocalKafkaCluster cluster, EmbeddedSchemaRegistry registry) {
        this.cluster = cluster;
        this.registry = registry;
        this.clientConfig = ClientConfig.of(cluster.bootstrapServers());
        this.registryClient = new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
        this.serdes = new AvroSerdes(registryClient);
    }

    /** Starts a broker and a registry. */
    static TestPipeline start() {
        LocalKafkaCluster cluster = LocalKafkaCluster.start();
        try {
            EmbeddedSchemaRegistry registry =
                    EmbeddedSchemaRegistry.start(
                            ClientConfig.of(cluster.bootstrapServers()).common(),
                            Topics.registryTopic(REGISTRY_PREFIX));
            return new TestPipeline(cluster, registry);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * A pipeline of the caller's own, for a test that stops or breaks the broker; the caller closes
     * it.
     */
    public static TestPipeline startDedicated() {
        return start();
    }

    /** The broker, to stop and start it again ({@link #startDedicated()} pipelines only). */
    public LocalKafkaCluster cluster() {
        return cluster;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Client config for the broker, with no file: what {@code --bootstrap-servers} alone gives. */
    public ClientConfig clientConfig() {
        return clientConfig;
    }

    /** The embedded registry's URL, what {@code --schema-registry-url} takes. */
    public String registryUrl() {
        return registry.url();
    }

    public SchemaRegistryClient registryClient() {
        return registryClient;
    }

    public AvroSerdes serdes() {
        return serdes;
    }

    /** A topic prefix no other test of this JVM has, {@code it-<n>.}. */
    public String newPrefix() {
        return "it-" + prefixes.incrementAndGet() + ".";
    }

    /** The pipeline's topics under a new prefix of their own, all created. */
    public Topics newTopics() {
        return createTopics(new Topics(newPrefix()));
    }

    /**
     * Creates every topic of {@code topics} that is missing and waits until the broker lists them
     * all (creation returns before the metadata is everywhere); returns them.
     */
    public Topics createTopics(Topics topics) {
        List<String> names = topics.all().stream().map(Topic::name).toList();
        try (Admin admin = Admin.create(clientConfig.admin())) {
            new TopicSetup(admin, Optional.empty()).ensure(topics.specs());
            await().atMost(TOPICS_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> admin.listTopics().names().get().containsAll(names));
        }
        return topics;
    }

    /**
     * A producer for {@code topic} with the registry's serdes and the client config's producer
     * settings (idempotent, {@code acks=all}); the caller closes it.
     */
    public <K, V> KafkaProducer<K, V> producer(Topic<K, V> topic) {
        return new KafkaProducer<>(
                clientConfig.producer(),
                serdes.keySerde(topic).serializer(),
                serdes.valueSerde(topic).serializer());
    }

    /** A reader of the committed records of {@code topic}, read with the registry's serdes. */
    public <K, V> CommittedRecords<K, V> committed(Topic<K, V> topic) {
        return new CommittedRecords<>(
                clientConfig,
                topic.name(),
                serdes.keySerde(topic).deserializer(),
                serdes.valueSerde(topic).deserializer());
    }

    /** A reader of the committed records of {@code topic} as raw bytes. */
    public CommittedRecords<byte[], byte[]> committedBytes(String topic) {
        return new CommittedRecords<>(
                clientConfig, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            cluster.close();
        }
    }
}
