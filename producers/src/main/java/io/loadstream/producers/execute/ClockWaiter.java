package io.loadstream.producers.execute;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Waits until a clock reaches a deadline: the seam through which tests drive an executor with a
 * fake clock (a fake waiter just moves the fake clock to the deadline).
 */
@FunctionalInterface
public interface ClockWaiter {

    /**
     * Returns once the executor's clock has reached {@code deadlineNanos}, or earlier; callers
     * check the clock again.
     */
    void waitUntilNanos(long deadlineNanos) throws InterruptedException;

    /** Parks the thread until {@code nanoClock} (normally {@code System::nanoTime}) is there. */
    static ClockWaiter parking(LongSupplier nanoClock) {
        return deadlineNanos -> {
            long remaining;
            while ((remaining = deadlineNanos - nanoClock.getAsLong()) > 0) {
                LockSupport.parkNanos(remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting to send");
                }
            }
        };
    }
}
