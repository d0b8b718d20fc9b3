package io.loadstream.cli;

import io.loadstream.avro.ThresholdRule;
import io.loadstream.producers.rules.RuleWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadstream rules delete}: removes rules from the rules topic. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Deletes rules by id: writes a tombstone for each to the compacted rules topic and"
                    + " waits until the broker acknowledged it. analyze stops judging a deleted"
                    + " rule. An id that is not on the topic is reported and left alone; the"
                    + " others are still deleted.",
            "Exit status: 0 when every id was deleted; 1 when one was unknown or Kafka did not"
                    + " acknowledge; 2 when the command line is wrong."
        })
final class RulesDeleteCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Ids of the rules to delete.")
    List<String> ids;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        RulesCommand.requireCluster(spec, kafka);
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, false)) {
            Map<String, ThresholdRule> existing = RulesTopic.read(pipeline);
            List<String> known = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (String id : new LinkedHashSet<>(ids)) {
                (existing.containsKey(id) ? known : unknown).add(id);
            }
            if (!known.isEmpty()) {
                try (RuleWriter writer =
                        RuleWriter.open(
                                pipeline.clientConfig(),
                                pipeline.serdes(),
                                pipeline.topics().rules())) {
                    writer.delete(known);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            known.forEach(id -> out.println("deleted " + id));
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            unknown.forEach(
                    id ->
                            err.println(
                                    "error: no rule '"
                                            + id
                                            + "' on "
                                            + pipeline.topics().rules().name()
                                            + " (rules list shows the ids)"));
            err.flush();
            return unknown.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
