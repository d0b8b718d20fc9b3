package io.loadstream.cli;

import io.loadstream.avro.ThresholdRule;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code loadstream rules list}: the rules on the rules topic now. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Reads the compacted rules topic to its end and prints the latest version of every"
                    + " rule (deleted ones left out), by id: its scope as run/scenario/endpoint"
                    + " patterns (* for all), metric, levels, resolution, for (and keepFiringFor)"
                    + " and source (the rules file and line, or the scenario file).",
            "Exit status: 0 when the topic was read (or does not exist yet: no rules); 1 when it"
                    + " could not be read; 2 when the command line is wrong."
        })
final class RulesListCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        RulesCommand.requireCluster(spec, kafka);
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, false)) {
            List<ThresholdRule> rules =
                    RulesTopic.read(pipeline).values().stream()
                            .sorted(Comparator.comparing(ThresholdRule::getRuleId))
                            .toList();
            RuleTable.print(rules, spec.commandLine().getOut());
            if (rules.isEmpty()) {
                Console.info("No rules on " + pipeline.topics().rules().name() + ".");
            }
        }
        return ExitCodes.OK;
    }
}
