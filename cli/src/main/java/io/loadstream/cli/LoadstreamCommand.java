package io.loadstream.cli;

import io.loadstream.producers.scenario.ScenarioException;
import io.loadstream.schemas.registry.SchemaRegistryException;
import io.loadstream.schemas.topic.TopicConfigurationException;
import java.io.PrintWriter;
import java.net.BindException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code loadstream}: the one executable, with a subcommand per job. */
@Command(
        name = "loadstream",
        mixinStandardHelpOptions = true,
        versionProvider = LoadstreamCommand.Version.class,
        description = {
            "Kafka-centric load testing and performance regression: generators publish a timing"
                    + " event per request to Kafka, Kafka Streams computes windowed latency"
                    + " percentiles, error rates and throughput, and results land in compacted"
                    + " topics.",
            ""
        },
        subcommands = {
            DemoCommand.class,
            GenerateCommand.class,
            AnalyzeCommand.class,
            ScenariosCommand.class,
            RulesCommand.class,
            AlertsCommand.class,
            TargetCommand.class,
            TopicsCommand.class,
            ClusterCommand.class,
            CheckCommand.class
        })
public final class LoadstreamCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling, for {@code main} and for tests. */
    public static CommandLine commandLine() {
        return commandLine(new LoadstreamCommand());
    }

    /**
     * A command line for {@code command} with the same error handling as {@code loadstream}'s: what
     * the bench tools run.
     */
    public static CommandLine commandLine(Object command) {
        return new CommandLine(command)
                .setParameterExceptionHandler(LoadstreamCommand::handleUsageError)
                .setExecutionExceptionHandler(LoadstreamCommand::handleFailure);
    }

    /**
     * A command line that is wrong (an unknown option or command, a missing or malformed value, a
     * value out of range) prints one line naming the problem and where to read more, and exits with
     * {@link ExitCodes#USAGE}, as picocli and Unix tools do; the usage itself is what {@code
     * --help} is for.
     */
    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("error: " + e.getMessage() + suggestions(e));
        err.println(
                "Try '"
                        + commandLine.getCommandSpec().qualifiedName()
                        + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** {@code " (did you mean --rate?)"} for an unknown option or command close to a known one. */
    private static String suggestions(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            return " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
        }
        return "";
    }

    /**
     * Expected failures (bad input, bad configuration, an unreachable service, a port in use) print
     * one clear line naming the problem; anything else prints its stack trace as well. Either way
     * the exit status is {@link ExitCodes#FAILURE}.
     */
    private static int handleFailure(
            Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        boolean expected =
                e instanceof IllegalArgumentException
                        || e instanceof TopicConfigurationException
                        || e instanceof SchemaRegistryException
                        || e instanceof KafkaException
                        || e instanceof IllegalStateException
                        || causedBy(e, BindException.class);
        commandLine.getErr().println("error: " + describe(e));
        if (!expected) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return ExitCodes.FAILURE;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        if (e instanceof ScenarioException file) {
            // file, line, column, field and problem say it all; the parser's cause would repeat it
            return file.getMessage();
        }
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    /** Version of loadstream and of the Kafka clients it is built with. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LoadstreamCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "loadstream " + (version == null ? "(development build)" : version),
                "Kafka clients " + AppInfoParser.getVersion()
            };
        }
    }
}
