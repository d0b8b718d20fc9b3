package io.loadstream.bench;

import io.loadstream.cli.KafkaOptions;
import io.loadstream.cli.PipelineConnection;
import io.loadstream.cli.RegistryOptions;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import picocli.CommandLine.Mixin;

/**
 * The connection of the bench tools, from the same options as {@code loadstream}'s commands and
 * opened the same way ({@link PipelineConnection}): {@code --bootstrap-servers}, {@code --config},
 * {@code --topic-prefix} and {@code --schema-registry-url}, as {@code loadstream cluster} prints
 * them. Without a registry URL the embedded registry is started on the cluster's schemas topic,
 * which gives the same schema ids as the pipeline's own embedded registry.
 */
public final class BenchConnection {

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registry;

    private ClientConfig clientConfig;
    private PipelineConnection pipeline;

    /** Kafka client properties, once the cluster has answered. */
    public ClientConfig clientConfig() {
        if (clientConfig == null) {
            clientConfig =
                    pipeline != null
                            ? pipeline.clientConfig()
                            : PipelineConnection.kafkaOnly(kafka);
        }
        return clientConfig;
    }

    /** Wire-format Avro serdes through the registry, which must be reachable. */
    public AvroSerdes serdes() {
        if (pipeline == null) {
            // closed by the shutdown hook it registers, when the tool exits
            pipeline = PipelineConnection.open(kafka, registry, false);
        }
        return pipeline.serdes();
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
