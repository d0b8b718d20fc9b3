package io.loadstream.cli;

import io.loadstream.avro.AlertLevel;
import io.loadstream.consumers.check.CheckReport;
import io.loadstream.consumers.check.RuleVerdict;
import io.loadstream.consumers.check.RunCheckReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadstream check}: the CI gate, every rule of a finished run with its verdict. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Waits for the final results of a run, then prints every rule and scenario threshold"
                + " that applies to it, endpoint by endpoint, with the value, the limits and the"
                + " verdict. Run-level rules (the scenario's thresholds, resolution 'run') are"
                + " judged on the run's final summary; window rules by the worst level their alert"
                + " fired at during the run, even if it resolved since.",
            "Exit status: 0 when every rule held (warnings allowed unless --fail-on warning), 1"
                    + " when one broke at the --fail-on level or above, 2 when the run has no"
                    + " results or they are not final within --wait (or the command line is"
                    + " wrong)."
        })
final class CheckCommand implements Callable<Integer> {

    /** The exit status of a run whose results are missing or not final. */
    static final int INCOMPLETE = 2;

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;

    @Option(
            names = "--run",
            required = true,
            paramLabel = "RUN_ID",
            description = "The run to judge.")
    String runId;

    @Option(
            names = "--fail-on",
            paramLabel = "LEVEL",
            defaultValue = "critical",
            description =
                    "Lowest level that fails the check: critical or warning (default:"
                            + " ${DEFAULT-VALUE}).")
    String failOn;

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            defaultValue = "2m",
            converter = DurationConverter.class,
            description =
                    "How long to wait for the run's results to be final (a run whose generators"
                            + " ended is final a grace period after its last request; one whose"
                            + " generator crashed, after analyze's --idle-timeout) (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(
            names = "--junit-xml",
            paramLabel = "FILE",
            description =
                    "Also write the verdicts as JUnit XML, one test case per rule and endpoint.")
    Path junitXml;

    @Option(
            names = "--markdown",
            paramLabel = "FILE",
            description = "Also write the verdicts as a Markdown table, for a pull request.")
    Path markdown;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        AlertLevel level = level(failOn);
        if (kafka.bootstrapServers == null && kafka.configFile == null) {
            throw UsageErrors.usageError(
                    spec,
                    "check reads the results of a running cluster: give --bootstrap-servers"
                            + " HOST:PORT");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<RuleVerdict> verdicts;
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, false)) {
            verdicts =
                    new RunCheckReader(
                                    pipeline.clientConfig(), pipeline.serdes(), pipeline.topics())
                            .judge(runId, wait);
        } catch (RunCheckReader.IncompleteRunException e) {
            spec.commandLine().getErr().println("check: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return INCOMPLETE;
        }
        CheckReport report = new CheckReport(runId, verdicts, level);
        report.printTable(out);
        if (verdicts.isEmpty()) {
            out.println("no rule applies to run " + runId + ": nothing to check");
            out.flush();
        }
        if (junitXml != null) {
            report.writeJUnitXml(junitXml);
        }
        if (markdown != null) {
            report.writeMarkdown(markdown);
        }
        return report.failed() ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    private AlertLevel level(String name) {
        try {
            return AlertLevel.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw UsageErrors.usageError(
                    spec, "--fail-on must be critical or warning, not '" + name + "'");
        }
    }
}
