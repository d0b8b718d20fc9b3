package io.loadstream.bench;

import io.loadstream.cli.KafkaOptions;
import io.loadstream.cli.RegistryOptions;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * The connection of the bench tools, from the same options as {@code loadstream}'s commands ({@code
 * --bootstrap-servers}, {@code --config}, {@code --topic-prefix}, {@code --schema-registry-url}),
 * as {@code loadstream cluster} prints them. The tools measure a running pipeline, so they never
 * start a broker or a registry of their own: a registry URL is required.
 */
public final class BenchConnection {

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registry;

    private ClientConfig clientConfig;
    private AvroSerdes serdes;

    /** Kafka client properties: the file's, with the bootstrap servers set over them. */
    public ClientConfig clientConfig() {
        if (clientConfig == null) {
            clientConfig = ClientConfig.load(kafka.configFile(), kafka.bootstrapServers());
        }
        return clientConfig;
    }

    /** Wire-format Avro serdes through the registry, which must be reachable. */
    public AvroSerdes serdes() {
        if (serdes == null) {
            Map<String, Object> settings = new HashMap<>(clientConfig().common());
            if (registry.url() != null) {
                settings.put(SchemaRegistryConfig.URL, registry.url());
            }
            if (settings.get(SchemaRegistryConfig.URL) == null) {
                throw new IllegalArgumentException(
                        "no schema registry: the bench tools need the pipeline's, give"
                                + " --schema-registry-url (loadstream cluster prints it) or set"
                                + " schema.registry.url in --config");
            }
            SchemaRegistryClient client =
                    new SchemaRegistryClient(SchemaRegistryConfig.fromProperties(settings));
            client.checkReachable();
            serdes = new AvroSerdes(client);
        }
        return serdes;
    }

    /** Prefix of every topic name. */
    public String topicPrefix() {
        return kafka.topicPrefix();
    }

    /** The pipeline's topics under the prefix, with {@code partitions} partitions each. */
    public Topics topics(int partitions) {
        return new Topics(kafka.topicPrefix(), partitions);
    }

    /** The pipeline's topics under the prefix, with the default partition count. */
    public Topics topics() {
        return new Topics(kafka.topicPrefix());
    }
}
