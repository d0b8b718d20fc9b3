package io.loadstream.bench;

import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The connection options of the bench tools, as {@code loadstream cluster} prints them: bootstrap
 * servers, a schema registry URL (required: the tools never start an embedded registry), an
 * optional client properties file and the topic prefix.
 */
public final class BenchConnection {

    @Option(
            names = {"-b", "--bootstrap-servers"},
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (or bootstrap.servers in --config).")
    String bootstrapServers;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Kafka client properties file; schema.registry.* is read from it too.")
    Path configFile;

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL",
            description =
                    "Confluent-compatible schema registry (or schema.registry.url in --config).")
    String registryUrl;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    private ClientConfig clientConfig;
    private AvroSerdes serdes;

    /** Kafka client properties: the file's, with the bootstrap servers set over them. */
    public ClientConfig clientConfig() {
        if (clientConfig == null) {
            clientConfig = ClientConfig.load(configFile, bootstrapServers);
        }
        return clientConfig;
    }

    /** Wire-format Avro serdes through the registry, which must be reachable. */
    public AvroSerdes serdes() {
        if (serdes == null) {
            Map<String, Object> settings = new HashMap<>(clientConfig().common());
            if (registryUrl != null) {
                settings.put(SchemaRegistryConfig.URL, registryUrl);
            }
            if (settings.get(SchemaRegistryConfig.URL) == null) {
                throw new IllegalArgumentException(
                        "no schema registry: give --schema-registry-url (loadstream cluster prints"
                                + " it) or set schema.registry.url in --config");
            }
            SchemaRegistryClient registry =
                    new SchemaRegistryClient(SchemaRegistryConfig.fromProperties(settings));
            registry.checkReachable();
            serdes = new AvroSerdes(registry);
        }
        return serdes;
    }

    /** Prefix of every topic name. */
    public String topicPrefix() {
        return topicPrefix;
    }

    /** The pipeline's topics under the prefix, with {@code partitions} partitions each. */
    public Topics topics(int partitions) {
        return new Topics(topicPrefix, partitions);
    }

    /** The pipeline's topics under the prefix, with the default partition count. */
    public Topics topics() {
        return new Topics(topicPrefix);
    }
}
