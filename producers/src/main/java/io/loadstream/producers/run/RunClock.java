package io.loadstream.producers.run;

import io.loadstream.producers.execute.ClockWaiter;
import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The clocks of a generator run: the wall clock that says when the run's time 0 is (the origin of
 * every event's send times) and the monotonic clock, with its waiter, that the schedule is kept by.
 * Tests give a fixed wall clock and a fake nanosecond clock that the waiter moves, so that a run
 * takes no time and its events' times are known.
 *
 * @param wall the wall clock
 * @param nanos a monotonic clock in nanoseconds
 * @param waiter waits until {@code nanos} reaches a deadline
 */
public record RunClock(Clock wall, LongSupplier nanos, ClockWaiter waiter) {

    public RunClock {
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(nanos, "nanos");
        Objects.requireNonNull(waiter, "waiter");
    }

    /** The system's UTC clock and {@code System::nanoTime}, waited for by parking the thread. */
    public static RunClock system() {
        return new RunClock(
                Clock.systemUTC(), System::nanoTime, ClockWaiter.parking(System::nanoTime));
    }
}
