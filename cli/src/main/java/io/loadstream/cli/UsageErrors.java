package io.loadstream.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Option values that picocli cannot check by itself (a positive rate, an endpoint list) are checked
 * by the command, or by the domain code it hands them to, before anything starts; a refusal is a
 * usage error like picocli's own, so it gets the same one line and exit status.
 */
final class UsageErrors {

    private UsageErrors() {}

    /** A usage error of {@code spec}'s command. */
    static ParameterException usageError(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * Builds a value from {@code option}'s value, turning the {@link IllegalArgumentException} with
     * which domain code refuses it into a usage error that names the option.
     */
    static <T> T parse(CommandSpec spec, String option, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            throw new ParameterException(
                    spec.commandLine(),
                    message.startsWith("--") ? message : option + ": " + message,
                    e);
        }
    }

    /**
     * Builds a value from several options' values, turning the {@link IllegalArgumentException}
     * with which domain code refuses them into a usage error with its message.
     */
    static <T> T parse(CommandSpec spec, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
