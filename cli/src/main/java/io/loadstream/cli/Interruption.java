package io.loadstream.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C as a command sees it: a stop request its run loop polls, and the wait of the shutdown hook
 * until the command has finished what it was doing (sent what is pending, printed its report),
 * before the broker and registry it started are closed.
 */
final class Interruption {

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    /** Whether Ctrl-C (or SIGTERM) asked the command to stop. */
    boolean requested() {
        return requested.get();
    }

    /** The command is done; a waiting shutdown hook may go on. */
    void finished() {
        finished.countDown();
    }

    /**
     * Called by the shutdown hook: asks to stop, then waits for the command, at most {@code grace}.
     */
    void stopAndWait(Duration grace) {
        requested.set(true);
        try {
            if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                Console.warn(
                        "did not finish within " + grace.toSeconds() + " s of the stop request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
