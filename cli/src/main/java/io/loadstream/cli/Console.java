package io.loadstream.cli;

import java.io.PrintStream;

/**
 * Where commands talk to people: progress and notes on standard error, results on standard output,
 * so that output can be piped.
 */
final class Console {
    private Console() {}

    static void info(String message) {
        err().println(message);
    }

    static void warn(String message) {
        err().println("warning: " + message);
    }

    /** Standard error as it is now, so that a test that redirects it sees these lines. */
    private static PrintStream err() {
        return System.err;
    }
}
