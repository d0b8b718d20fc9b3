package io.loadstream.producers.execute;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TaskScheduler} on {@code System.nanoTime()} with one daemon thread of its own. A task
 * that throws is reported to the thread's uncaught-exception handler and the next task runs.
 *
 * <pre>{@code
 * try (SingleThreadScheduler scheduler = new SingleThreadScheduler("closed-model")) {
 *     new ClosedModelExecutor(..., scheduler).start(stop::get, progress).get();
 * }
 * }</pre>
 */
public final class SingleThreadScheduler implements TaskScheduler, AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    /**
     * @param threadName name of the scheduler's thread
     */
    public SingleThreadScheduler(String threadName) {
        executor =
                new ScheduledThreadPoolExecutor(
                        1,
                        task -> {
                            Thread thread = new Thread(task, threadName);
                            thread.setDaemon(true);
                            return thread;
                        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void scheduleAt(long deadlineNanos, Runnable task) {
        long delay = deadlineNanos - System.nanoTime();
        executor.schedule(() -> runReporting(task), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    /** Stops the thread; tasks not yet run are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static void runReporting(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        }
    }
}
