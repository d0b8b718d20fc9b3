package io.loadstream.cli;

import io.loadstream.producers.scenario.DisplayText;
import io.loadstream.producers.scenario.Scenario;
import io.loadstream.producers.scenario.ScenarioCatalog;
import io.loadstream.producers.scenario.ScenarioSeverity;
import io.loadstream.producers.scenario.ScenarioType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code loadstream scenarios}: the scenario files of a folder. */
@Command(
        name = "scenarios",
        mixinStandardHelpOptions = true,
        description =
                "Scenario files: YAML files that say which endpoints to call, how hard and for"
                        + " how long (see scenarios/README.md). The thresholds a file declares are"
                        + " published as rules by generate, for analyze to judge.",
        subcommands = ScenariosCommand.ListCommand.class)
final class ScenariosCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** {@code loadstream scenarios list}: a table of the scenarios in a folder. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "Lists the scenario files of a folder with their type, severity, executor and"
                        + " duration. Files that fail to load are reported on standard error with"
                        + " the line and field at fault.",
                "Exit status: 0 when every file loads, 1 when one does not."
            })
    static final class ListCommand implements Callable<Integer> {

        @Option(
                names = "--type",
                paramLabel = "TYPE",
                converter = TypeConverter.class,
                completionCandidates = TypeNames.class,
                description = "Only scenarios of this type: ${COMPLETION-CANDIDATES}.")
        ScenarioType type;

        @Option(
                names = "--severity",
                paramLabel = "SEVERITY",
                converter = SeverityConverter.class,
                completionCandidates = SeverityNames.class,
                description = "Only scenarios of this severity: ${COMPLETION-CANDIDATES}.")
        ScenarioSeverity severity;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = "scenarios",
                description = "Folder of scenario files (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            ScenarioCatalog.Listing listing = new ScenarioCatalog(dir).list(type, severity);
            print(listing.scenarios(), spec.commandLine().getOut());
            PrintWriter err = spec.commandLine().getErr();
            for (ScenarioCatalog.Failure failure : listing.failures()) {
                err.println("error: " + failure.error().getMessage());
            }
            err.flush();
            return listing.failures().isEmpty() ? 0 : 1;
        }

        private static void print(List<ScenarioCatalog.Entry> entries, PrintWriter out) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "TYPE", "SEVERITY", "EXECUTOR", "DURATION", "FILE"});
            for (ScenarioCatalog.Entry entry : entries) {
                Scenario scenario = entry.scenario();
                rows.add(
                        new String[] {
                            scenario.name(),
                            scenario.type().id(),
                            scenario.severity().id(),
                            scenario.executor().summary(),
                            DisplayText.duration(scenario.executor().totalDuration()),
                            entry.file().toString()
                        });
            }
            int[] widths = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(
                            i == row.length - 1
                                    ? row[i]
                                    : String.format("%-" + widths[i] + "s  ", row[i]));
                }
                out.println(line.toString().stripTrailing());
            }
            out.flush();
        }
    }

    /** Reads {@code --type} ignoring case. */
    static final class TypeConverter implements ITypeConverter<ScenarioType> {
        @Override
        public ScenarioType convert(String value) {
            try {
                return ScenarioType.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --severity} ignoring case. */
    static final class SeverityConverter implements ITypeConverter<ScenarioSeverity> {
        @Override
        public ScenarioSeverity convert(String value) {
            try {
                return ScenarioSeverity.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The scenario types as written in files, for help and completion. */
    static final class TypeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ScenarioType.values()).map(ScenarioType::id).iterator();
        }
    }

    /** The severities as written in files, for help and completion. */
    static final class SeverityNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ScenarioSeverity.values()).map(ScenarioSeverity::id).iterator();
        }
    }
}
