package io.loadstream.producers.execute;

import java.util.PriorityQueue;

/** A {@link TaskScheduler} on a fake clock that runs its tasks only when the test says so. */
final class ManualScheduler implements TaskScheduler {

    private record Task(long deadline, long sequence, Runnable runnable) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(
                    (a, b) ->
                            a.deadline != b.deadline
                                    ? Long.compare(a.deadline, b.deadline)
                                    : Long.compare(a.sequence, b.sequence));
    private long now;
    private long sequence;

    ManualScheduler(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void scheduleAt(long deadlineNanos, Runnable task) {
        tasks.add(new Task(deadlineNanos, sequence++, task));
    }

    /** Runs every task due up to {@code deadline}, in order, moving the clock along. */
    void runUntil(long deadline) {
        while (!tasks.isEmpty() && tasks.peek().deadline <= deadline) {
            Task task = tasks.poll();
            now = Math.max(now, task.deadline);
            task.runnable.run();
        }
        now = Math.max(now, deadline);
    }

    /** Tasks waiting. */
    int pending() {
        return tasks.size();
    }
}
