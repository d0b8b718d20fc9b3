package io.loadstream.bench;

import io.loadstream.schemas.config.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Runs a bench tool's picocli command: a failure prints one line, {@code error: ...}, with its
 * causes, and exits with status 1, so that a script shows what went wrong without a stack trace.
 */
public final class BenchCommandLine {

    private BenchCommandLine() {}

    /** Runs {@code command} with {@code args} and exits with its status. */
    public static void exit(Object command, String[] args) {
        System.exit(
                new CommandLine(command)
                        .setExecutionExceptionHandler(
                                (e, commandLine, parseResult) -> {
                                    commandLine.getErr().println("error: " + describe(e));
                                    commandLine.getErr().flush();
                                    return 1;
                                })
                        .execute(args));
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    /** Reads duration options as {@link Durations#parse} does: 500ms, 30s, 2m, 1m30s. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
