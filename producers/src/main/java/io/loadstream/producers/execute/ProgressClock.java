package io.loadstream.producers.execute;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The time keeping of a run driven from one thread: waits for offsets from the run's start,
 * reporting progress once per interval on the way and noticing a request to stop.
 *
 * <p>Reports fall at whole intervals from the start, up to but not at the end of the run (the
 * caller makes the final report); after a stall there is one report, not one per interval missed.
 */
final class ProgressClock {

    private final LongSupplier nanoClock;
    private final ClockWaiter waiter;
    private final long intervalNanos;
    private final BooleanSupplier stopRequested;
    private final Consumer<Duration> report;
    private final long startNanos;
    private final long endNanos;
    private long nextReportNanos;

    /** Starts the run now, by {@code nanoClock}. */
    ProgressClock(
            LongSupplier nanoClock,
            ClockWaiter waiter,
            Duration total,
            Duration interval,
            BooleanSupplier stopRequested,
            Consumer<Duration> report) {
        this.nanoClock = nanoClock;
        this.waiter = waiter;
        this.intervalNanos = interval.toNanos();
        this.stopRequested = stopRequested;
        this.report = report;
        this.startNanos = nanoClock.getAsLong();
        this.endNanos = startNanos + total.toNanos();
        this.nextReportNanos = startNanos + intervalNanos;
    }

    /** The run's start, by the clock. */
    long startNanos() {
        return startNanos;
    }

    /** Nanoseconds since the start. */
    long offsetNow() {
        return nanoClock.getAsLong() - startNanos;
    }

    /**
     * Waits until {@code offsetNanos} from the start, reporting progress when due; false when the
     * run is to stop instead (asked to, or interrupted, in which case the flag is left set).
     * Returns at once, after a report if one is due, when the offset has passed.
     */
    boolean awaitOffset(long offsetNanos) {
        long deadlineNanos = startNanos + offsetNanos;
        while (true) {
            long now = nanoClock.getAsLong();
            // from the end of the run on, the final report says it all
            if (now - nextReportNanos >= 0 && now - endNanos < 0) {
                report.accept(Duration.ofNanos(now - startNanos));
                nextReportNanos += intervalNanos;
                if (now - nextReportNanos >= 0) {
                    nextReportNanos = now + intervalNanos;
                }
            }
            if (stopRequested.getAsBoolean()) {
                return false;
            }
            if (now - deadlineNanos >= 0) {
                return true;
            }
            try {
                waiter.waitUntilNanos(
                        deadlineNanos - nextReportNanos < 0 ? deadlineNanos : nextReportNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
