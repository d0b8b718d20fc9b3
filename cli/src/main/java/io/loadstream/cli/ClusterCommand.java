package io.loadstream.cli;

import io.loadstream.schemas.topic.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadstream cluster}: a local Kafka broker and embedded schema registry that stay up until
 * Ctrl-C, for running the other commands against from other terminals.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a local single-node Kafka broker (KRaft) and the embedded schema registry, and"
                    + " keeps them running until Ctrl-C. Its data is deleted on exit.",
            "Point other commands at it with the --bootstrap-servers and --schema-registry-url"
                    + " it prints."
        })
final class ClusterCommand implements Callable<Integer> {

    // not the KafkaOptions mixin: cluster starts its own broker, so it has no --bootstrap-servers
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties file for the clients of the local broker (tuning);"
                            + " read before the broker starts.")
    Path configFile;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = Topics.DEFAULT_PREFIX,
            description =
                    "Prefix of every topic name; the registry keeps schemas in"
                            + " '<prefix>_schemas' (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        KafkaOptions kafka = new KafkaOptions();
        kafka.configFile = configFile;
        kafka.topicPrefix = topicPrefix;
        PipelineConnection pipeline = PipelineConnection.open(kafka, new RegistryOptions(), true);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "--bootstrap-servers %s --schema-registry-url %s%n",
                pipeline.clientConfig().bootstrapServers(),
                String.join(",", pipeline.registry().urls()));
        out.flush();
        Console.info("Running; Ctrl-C stops the broker and deletes its data.");
        // runs until the JVM is stopped; the connection's shutdown hook then stops the broker
        new CountDownLatch(1).await();
        return 0;
    }
}
