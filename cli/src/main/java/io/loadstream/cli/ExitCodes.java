package io.loadstream.cli;

/**
 * Exit statuses of every {@code loadstream} command, as the README's table lists them: a script can
 * tell a command line it got wrong from a run that went wrong.
 */
final class ExitCodes {

    /** The command did what it was asked and its outcome was good. */
    static final int OK = 0;

    /**
     * The command ran and failed, or its outcome was bad: an unreachable broker or registry, a file
     * that is missing or wrong, a port in use, events failed or dropped, no request succeeded.
     */
    static final int FAILURE = 1;

    /** The command line is wrong: nothing was started. */
    static final int USAGE = 2;

    private ExitCodes() {}
}
