package io.loadstream.producers.execute;

/**
 * Runs tasks at given times of a clock, one at a time: the event loop of a {@link
 * ClosedModelExecutor}, and the seam through which tests drive it with a fake clock.
 *
 * <p>Tasks run one after another (never two at once), those due earlier first and those due at the
 * same time in the order they were scheduled. Scheduling may be done from any thread.
 */
public interface TaskScheduler {

    /** The scheduler's clock, monotonic nanoseconds. */
    long nanoTime();

    /** Runs {@code task} once {@link #nanoTime()} has reached {@code deadlineNanos}. */
    void scheduleAt(long deadlineNanos, Runnable task);

    /** Runs {@code task} as soon as the tasks already due have run. */
    default void execute(Runnable task) {
        scheduleAt(nanoTime(), task);
    }
}
