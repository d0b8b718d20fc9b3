package io.loadstream.cli;

import java.io.PrintStream;

/**
 * Where commands talk to people: progress and notes on standard error, results on standard output,
 * so that output can be piped.
 */
final class Console {
    private static final PrintStream err = System.err;

    private Console() {}

    static void info(String message) {
        err.println(message);
    }

    static void warn(String message) {
        err.println("warning: " + message);
    }
}
