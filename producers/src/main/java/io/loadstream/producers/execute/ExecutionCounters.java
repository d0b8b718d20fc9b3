package io.loadstream.producers.execute;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an executor has done so far, readable from any thread while it runs.
 *
 * <p>Every request that falls due is {@link #scheduled()}, then either {@link #started()} (handed
 * to the driver) or {@link #dropped()} (not made, because too many were in flight); a started one
 * is {@link #inFlight()} until the driver answers and it is {@link #completed()}. Once the executor
 * has stopped scheduling, {@code scheduled == started + dropped}, and once {@link #awaitIdle}
 * returns true, {@code completed == started}.
 */
public final class ExecutionCounters {

    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final Object idle = new Object();

    /** Threads in {@link #awaitIdle}; completions wake them only when there are any. */
    private volatile int idleWaiters;

    /** Requests that fell due. */
    public long scheduled() {
        return scheduled.get();
    }

    /** Requests handed to the driver. */
    public long started() {
        return started.get();
    }

    /** Requests that fell due but were not made. */
    public long dropped() {
        return dropped.get();
    }

    /** Requests the driver has answered. */
    public long completed() {
        return completed.get();
    }

    /** Requests started and not yet answered. */
    public long inFlight() {
        return inFlight.get();
    }

    /**
     * Waits until no request is in flight, at most {@code timeout} of real time (this is the one
     * wait that no test clock can stand in for: it waits for the driver).
     *
     * @return whether every started request has completed
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            // counted before inFlight is read, so that the completion that ends it sees a waiter
            idleWaiters++;
            try {
                while (inFlight.get() > 0) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(idle, remaining);
                }
            } finally {
                idleWaiters--;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.format(
                "scheduled %d, started %d, dropped %d, completed %d, in flight %d",
                scheduled(), started(), dropped(), completed(), inFlight());
    }

    void recordScheduled() {
        scheduled.incrementAndGet();
    }

    /** Starts a request unless {@code maxInFlight} are in flight already; false if not. */
    boolean tryStart(long maxInFlight) {
        long current;
        do {
            current = inFlight.get();
            if (current >= maxInFlight) {
                return false;
            }
        } while (!inFlight.compareAndSet(current, current + 1));
        started.incrementAndGet();
        return true;
    }

    void recordDropped() {
        dropped.incrementAndGet();
    }

    void recordCompleted() {
        // completed first, so that whoever sees nothing in flight sees completed == started
        completed.incrementAndGet();
        // a driver that answers at once empties the executor on every request: a lock and notify
        // each time was a tenth of the synthetic schedule's thread
        if (inFlight.decrementAndGet() == 0 && idleWaiters > 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }
}
