package io.loadstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code loadstream rules}: the threshold rules on the compacted rules topic. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = {
            "Threshold rules: what analyze judges runs against, kept on the compacted rules topic"
                    + " under their ids, so that they can change while runs go on. A rules file"
                    + " (YAML, see rules/example-rules.yaml) gives each rule an id, a scope (run,"
                    + " scenario and endpoint patterns), a metric, above: or below: levels"
                    + " (warning, critical), a resolution (1s, 10s, 1m or run), for,"
                    + " keepFiringFor, minCount, labels and annotations. Scenario files'"
                    + " thresholds become rules too, published by generate before its run starts,"
                    + " with ids scenario:<scenario>:<metric>."
        },
        subcommands = {RulesApplyCommand.class, RulesListCommand.class, RulesDeleteCommand.class})
final class RulesCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /**
     * Refuses a command line without a cluster to talk to: these commands never start a local one,
     * since rules on a broker that goes away with the command would be lost.
     */
    static void requireCluster(CommandSpec spec, KafkaOptions kafka) {
        if (kafka.bootstrapServers == null && kafka.configFile == null) {
            throw UsageErrors.usageError(
                    spec,
                    spec.qualifiedName()
                            + " needs a running cluster: give --bootstrap-servers HOST:PORT");
        }
    }
}
