package io.loadstream.cli;

import io.loadstream.avro.ThresholdRule;
import io.loadstream.producers.rules.RuleWriter;
import io.loadstream.producers.rules.RulesLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadstream rules apply}: publishes the rules of a rules file. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a rules file and publishes every rule in it to the compacted rules topic,"
                    + " keyed by its id (creating the topic, compacted, when it is missing), waits"
                    + " until the broker acknowledged each, and prints what it wrote. A rule"
                    + " replaces the one with its id; analyze judges the new version from its next"
                    + " window on. Rules that are on the topic but not in the file stay: remove"
                    + " them with rules delete.",
            "A file with a mistake is refused, naming the file, line, column and field, and"
                    + " nothing is written.",
            "Exit status: 0 when every rule was written (or, with --dry-run, the file is valid);"
                    + " 1 when the file has a mistake or Kafka did not acknowledge; 2 when the"
                    + " command line is wrong."
        })
final class RulesApplyCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            required = true,
            description = "The rules file (YAML), for example rules/example-rules.yaml.")
    Path file;

    @Option(
            names = "--dry-run",
            description = "Only check the file and print its rules: connect to nothing.")
    boolean dryRun;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (!dryRun) {
            RulesCommand.requireCluster(spec, kafka);
        }
        List<ThresholdRule> rules = RulesLoader.load(file);
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            RuleTable.print(rules, out);
            out.printf(
                    "%d rules in %s are valid; nothing written (--dry-run)%n", rules.size(), file);
            out.flush();
            return ExitCodes.OK;
        }
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, false);
                RuleWriter writer =
                        RuleWriter.open(
                                pipeline.clientConfig(),
                                pipeline.serdes(),
                                pipeline.topics().rules())) {
            List<RuleWriter.Written> written = writer.write(rules);
            RuleTable.print(rules, out);
            out.printf(
                    "Wrote %d rules to %s, each acknowledged%n",
                    written.size(), pipeline.topics().rules().name());
            out.flush();
        }
        return ExitCodes.OK;
    }
}
