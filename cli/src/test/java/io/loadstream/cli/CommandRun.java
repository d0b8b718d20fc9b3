package io.loadstream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One {@code loadstream} command run in the test's JVM, with the same error handling as the
 * executable, and what it printed.
 *
 * @param out standard output: results
 * @param err the command's error output: the error line of a failure or usage error
 */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = LoadstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /** The lines of the error output. */
    List<String> errLines() {
        return err.lines().toList();
    }
}
