package io.loadstream.testing;

import io.loadstream.cluster.registry.EmbeddedSchemaRegistry;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.Topics;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * A broker in a child JVM ({@link BrokerProcess}) with an embedded schema registry in this one, for
 * a test that kills the broker's process: client config, serdes, topics and readers as {@link
 * TestPipeline} has them. The registry keeps its schemas on that broker, so serializers must have
 * registered theirs (and cached the ids) before the broker is killed.
 *
 * <pre>{@code
 * try (BrokerProcessPipeline pipeline = BrokerProcessPipeline.start()) {
 *     Topics topics = pipeline.newTopics();
 *     pipeline.broker().kill();
 *     pipeline.broker().restart();
 * }
 * }</pre>
 */
public final class BrokerProcessPipeline implements AutoCloseable {

    private final BrokerProcess broker;
    private final EmbeddedSchemaRegistry registry;
    private final ClientConfig clientConfig;
    private final AvroSerdes serdes;

    private BrokerProcessPipeline(BrokerProcess broker, EmbeddedSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        this.clientConfig = ClientConfig.of(broker.bootstrapServers());
        this.serdes =
                new AvroSerdes(new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url())));
    }

    /** Starts a broker process and a registry; the caller closes them. */
    public static BrokerProcessPipeline start() {
        BrokerProcess broker = BrokerProcess.start();
        try {
            EmbeddedSchemaRegistry registry =
                    EmbeddedSchemaRegistry.start(
                            ClientConfig.of(broker.bootstrapServers()).common(),
                            Topics.registryTopic("test."));
            return new BrokerProcessPipeline(broker, registry);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The broker's process, to kill and restart. */
    public BrokerProcess broker() {
        return broker;
    }

    /** Client config for the broker, with no file. */
    public ClientConfig clientConfig() {
        return clientConfig;
    }

    public AvroSerdes serdes() {
        return serdes;
    }

    /** The pipeline's topics under the prefix {@code it.}, all created. */
    public Topics newTopics() {
        Topics topics = new Topics("it.");
        try (Admin admin = Admin.create(clientConfig.admin())) {
            new TopicSetup(admin, Optional.empty()).ensure(topics.specs());
        }
        return topics;
    }

    /** A reader of the committed records of {@code topic}, read with the registry's serdes. */
    public <K, V> CommittedRecords<K, V> committed(Topic<K, V> topic) {
        return new CommittedRecords<>(
                clientConfig,
                topic.name(),
                serdes.keySerde(topic).deserializer(),
                serdes.valueSerde(topic).deserializer());
    }

    /** Stops the registry, kills the broker and deletes its data. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }
}
