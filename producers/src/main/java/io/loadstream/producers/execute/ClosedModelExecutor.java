package io.loadstream.producers.execute;

import io.loadstream.avro.RequestTiming;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The closed model (k6's VU executors, Gatling's closed injection, Hyperfoil's always/ramping
 * users): virtual users that each make one request after another, as many users at a time as a
 * {@link VirtualUserSchedule} asks for, with one timing event per request to a {@link TimingSink}.
 *
 * <p>Without pacing a user starts its next request as soon as the previous one is answered, and the
 * intended send time is the actual one. With {@code pacing}, user {@code k} that started at {@code
 * t0} intends its {@code j}-th request for {@code t0 + j × pacing}: it waits for that time when
 * early, and when a slow answer made it late it starts at once, the event keeping the intended time
 * so that the latency downstream counts from it (coordinated-omission correction as Hyperfoil and
 * wrk2 do it). Intended times never move: a user that keeps falling behind builds up lateness.
 *
 * <p>When the schedule lowers the target, users above it stop after their current request (at once
 * when they are waiting for their next paced start); when it raises it, new users start at once. No
 * request starts at or after the end of the duration, nor once stopped; the run is over when every
 * user has had its last answer.
 *
 * <p>Nothing blocks and no thread is kept per user: every decision runs as a task on the {@link
 * TaskScheduler}, answers from the driver are handed back to it, and paced starts are scheduled on
 * it. The sink is called on the scheduler's thread.
 *
 * <pre>{@code
 * try (SingleThreadScheduler scheduler = new SingleThreadScheduler("vus")) {
 *     ClosedModelExecutor executor = new ClosedModelExecutor(
 *             VirtualUserSchedule.constant(50, Duration.ofMinutes(5)), Duration.ofSeconds(1),
 *             httpDriver, EndpointChooser.roundRobin(2), events, publisher, scheduler);
 *     ClosedModelExecutor.Result result = executor.start(stop::get, p -> log(p)).get();
 * }
 * }</pre>
 */
public final class ClosedModelExecutor {

    /** No pacing: each user's next request starts when the previous one is answered. */
    public static final Duration NO_PACING = Duration.ZERO;

    /** How often progress is reported, in clock time. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    /**
     * Where a run stands.
     *
     * @param elapsed clock time since the run started
     * @param total the schedule's duration
     * @param targetUsers users the schedule asks for now
     * @param activeUsers users running (in a request or waiting for their next paced start)
     * @param sent requests started so far
     * @param inFlight requests started and not yet answered
     */
    public record Progress(
            Duration elapsed,
            Duration total,
            int targetUsers,
            int activeUsers,
            long sent,
            long inFlight) {}

    /**
     * How a run ended; every request started has been answered.
     *
     * @param started requests made
     * @param elapsed clock time from the start until the last answer
     * @param stoppedEarly whether it was stopped before its duration was up
     */
    public record Result(long started, Duration elapsed, boolean stoppedEarly) {}

    private final VirtualUserSchedule users;
    private final long pacingNanos;
    private final Driver driver;
    private final EndpointChooser endpoints;
    private final TimingEvents events;
    private final TimingSink sink;
    private final TaskScheduler scheduler;
    private final ExecutionCounters counters = new ExecutionCounters();
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();

    // the state below is only touched by tasks on the scheduler
    private VirtualUser[] running;
    private BooleanSupplier stopRequested;
    private Consumer<Progress> progress;
    private long startNanos;
    private long endNanos;
    private int target;
    private int active;
    private boolean finished;
    private boolean stopped;

    /**
     * @param users how many virtual users to run when
     * @param pacing time between the intended starts of a user's requests, or {@link #NO_PACING}
     * @param driver makes the requests
     * @param endpoints picks each request's endpoint; as many as {@code events} names
     * @param events labels of the events and the wall-clock time of the start
     * @param sink takes every event, on the scheduler's thread
     * @param scheduler runs the executor's tasks and gives its clock
     */
    public ClosedModelExecutor(
            VirtualUserSchedule users,
            Duration pacing,
            Driver driver,
            EndpointChooser endpoints,
            TimingEvents events,
            TimingSink sink,
            TaskScheduler scheduler) {
        if (pacing.isNegative()) {
            throw new IllegalArgumentException("pacing must not be negative, not " + pacing);
        }
        events.requireSameEndpoints(endpoints);
        this.users = Objects.requireNonNull(users, "users");
        this.pacingNanos = pacing.toNanos();
        this.driver = Objects.requireNonNull(driver, "driver");
        this.endpoints = endpoints;
        this.events = events;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** The counters of this executor's requests, live. */
    public ExecutionCounters counters() {
        return counters;
    }

    /**
     * Starts the run on the scheduler; may be called once.
     *
     * @param stopRequested polled before every request and once per progress interval
     * @param progress told where the run stands once per interval, and once at the end
     * @return completes when the run is over: the duration is up or a stop was requested, and every
     *     request started has been answered
     */
    public CompletableFuture<Result> start(
            BooleanSupplier stopRequested, Consumer<Progress> progress) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a closed-model executor runs once");
        }
        running = new VirtualUser[users.maxUsers()];
        this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
        this.progress = Objects.requireNonNull(progress, "progress");
        scheduler.execute(this::begin);
        return result;
    }

    private void begin() {
        startNanos = scheduler.nanoTime();
        endNanos = startNanos + users.duration().toNanos();
        for (int k = 0; k < running.length; k++) {
            running[k] = new VirtualUser(k);
        }
        // in this order, so that at any instant the end comes first, then the users' changes,
        // and the progress report last
        scheduler.scheduleAt(endNanos, this::end);
        applyTarget();
        scheduler.scheduleAt(startNanos + PROGRESS_INTERVAL.toNanos(), this::tick);
    }

    /** Brings the users up or down to the schedule's target, and comes back at its next change. */
    private void applyTarget() {
        if (finished) {
            return;
        }
        long offset = scheduler.nanoTime() - startNanos;
        target = users.targetAt(offset);
        for (VirtualUser user : running) {
            if (user.index < target && !user.alive) {
                user.alive = true;
                user.originNanos = scheduler.nanoTime();
                user.iteration = 0;
                active++;
                nextRequest(user);
            } else if (user.index >= target && user.waiting) {
                retire(user);
            }
        }
        long next = users.nextChangeNanos(offset);
        if (next < users.duration().toNanos()) {
            scheduler.scheduleAt(startNanos + next, this::applyTarget);
        }
    }

    private void nextRequest(VirtualUser user) {
        user.waiting = false;
        long now = scheduler.nanoTime();
        if (stopRequested.getAsBoolean()) {
            stop();
        }
        if (finished || user.index >= target || now - endNanos >= 0) {
            retire(user);
            return;
        }
        long intended = pacingNanos > 0 ? user.originNanos + user.iteration * pacingNanos : now;
        long intendedOffset = intended - startNanos;
        long actualOffset = now - startNanos;
        int endpoint = endpoints.next();
        counters.recordScheduled();
        counters.tryStart(Long.MAX_VALUE);
        DriverCalls.send(driver, endpoint)
                .whenComplete(
                        (response, failure) -> {
                            DriverResponse answer = DriverCalls.answerOf(response, failure);
                            RequestTiming timing =
                                    events.completed(
                                            endpoint, intendedOffset, actualOffset, answer);
                            // back on the scheduler: the user's next step is its decision
                            scheduler.execute(() -> answered(user, timing));
                        });
    }

    private void answered(VirtualUser user, RequestTiming timing) {
        DriverCalls.publish(sink, timing);
        counters.recordCompleted();
        user.iteration++;
        if (pacingNanos == 0) {
            nextRequest(user);
            return;
        }
        long due = user.originNanos + user.iteration * pacingNanos;
        if (due - scheduler.nanoTime() <= 0) {
            nextRequest(user); // late: at once, keeping its intended time
        } else if (finished || user.index >= target || due - endNanos >= 0) {
            retire(user);
        } else {
            user.waiting = true;
            long generation = ++user.generation;
            scheduler.scheduleAt(
                    due,
                    () -> {
                        // a user retired while waiting, and maybe started again since, ignores it
                        if (user.waiting && user.generation == generation) {
                            nextRequest(user);
                        }
                    });
        }
    }

    private void retire(VirtualUser user) {
        user.alive = false;
        user.waiting = false;
        active--;
        finishIfDone();
    }

    private void tick() {
        if (finished) {
            return;
        }
        if (stopRequested.getAsBoolean()) {
            stop();
            return;
        }
        long now = scheduler.nanoTime();
        if (now - endNanos < 0) {
            progress.accept(progress(now));
            long next = now + PROGRESS_INTERVAL.toNanos();
            scheduler.scheduleAt(
                    next - (next - startNanos) % PROGRESS_INTERVAL.toNanos(), this::tick);
        }
    }

    private void end() {
        finished = true;
        retireWaiting();
        finishIfDone();
    }

    private void stop() {
        if (!finished) {
            stopped = true;
            finished = true;
            retireWaiting();
            finishIfDone();
        }
    }

    private void retireWaiting() {
        for (VirtualUser user : running) {
            if (user.waiting) {
                retire(user);
            }
        }
    }

    private void finishIfDone() {
        if (finished && active == 0 && !result.isDone()) {
            long now = scheduler.nanoTime();
            target = 0;
            progress.accept(progress(now));
            result.complete(
                    new Result(counters.started(), Duration.ofNanos(now - startNanos), stopped));
        }
    }

    private Progress progress(long now) {
        return new Progress(
                Duration.ofNanos(now - startNanos),
                users.duration(),
                target,
                active,
                counters.started(),
                counters.inFlight());
    }

    /** One virtual user's state. */
    private static final class VirtualUser {
        final int index;
        boolean alive;
        boolean waiting;
        long generation;
        long originNanos;
        long iteration;

        VirtualUser(int index) {
            this.index = index;
        }
    }
}
