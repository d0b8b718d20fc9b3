package io.loadstream.cli;

import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.TopicSpec;
import io.loadstream.schemas.topic.Topics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadstream topics}: creates the pipeline's topics, or checks them. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Creates the pipeline's topics that are missing, with their cleanup policies (results"
                    + " compacted, event streams deleted by retention), and checks those that"
                    + " exist. Idempotent. Refuses to run when an existing topic has the wrong"
                    + " cleanup policy.",
            "Exit status: 0 when every topic is in place, 1 when one is wrong (or missing, with"
                    + " --check)."
        })
final class TopicsCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka;

    @Option(
            names = "--check",
            description = "Only check: create nothing, report missing and misconfigured topics.")
    boolean checkOnly;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "" + Topics.DEFAULT_PARTITIONS,
            description = "Partitions of created topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--replication-factor",
            paramLabel = "N",
            description = "Replication factor of created topics (default: the broker's).")
    Short replicationFactor;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (kafka.bootstrapServers == null && kafka.configFile == null) {
            throw UsageErrors.usageError(
                    spec, "topics needs a running cluster: give --bootstrap-servers HOST:PORT");
        }
        ClientConfig config = PipelineConnection.kafkaOnly(kafka);
        List<TopicSpec> specs = new Topics(kafka.topicPrefix, partitions).specs();
        TopicSetup.Result result;
        try (Admin admin = Admin.create(config.admin())) {
            TopicSetup setup = new TopicSetup(admin, Optional.ofNullable(replicationFactor));
            result = checkOnly ? setup.check(specs) : setup.ensure(specs);
        }
        print(specs, result, spec.commandLine().getOut());
        return result.missing().isEmpty() ? 0 : 1;
    }

    private static void print(List<TopicSpec> specs, TopicSetup.Result result, PrintWriter out) {
        out.printf("%-36s %-8s %10s  %s%n", "TOPIC", "CLEANUP", "PARTITIONS", "STATUS");
        for (TopicSpec topic : specs) {
            String status;
            Integer partitions;
            if (result.created().containsKey(topic.name())) {
                status = "created";
                partitions = result.created().get(topic.name());
            } else if (result.existing().containsKey(topic.name())) {
                status = "exists";
                partitions = result.existing().get(topic.name());
            } else {
                status = "missing";
                partitions = null;
            }
            out.printf(
                    "%-36s %-8s %10s  %s%n",
                    topic.name(),
                    topic.cleanupPolicy(),
                    partitions == null ? "-" : partitions.toString(),
                    status);
        }
        out.flush();
    }
}
