package io.loadstream.cli;

import io.loadstream.schemas.topic.Topics;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of every command that talks to Kafka. */
public final class KafkaOptions {

    @Option(
            names = {"-b", "--bootstrap-servers"},
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka bootstrap servers (or bootstrap.servers in --config). demo starts"
                            + " a local single-node cluster when neither is given.")
    String bootstrapServers;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties file (security.protocol, sasl.*, ssl.*, tuning);"
                            + " schema.registry.* and basic.auth.* settings are read from it too.")
    Path configFile;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    /** The bootstrap servers given, or null. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client properties file given, or null. */
    public Path configFile() {
        return configFile;
    }

    public String topicPrefix() {
        return topicPrefix;
    }
}
