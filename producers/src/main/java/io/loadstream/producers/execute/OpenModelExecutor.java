package io.loadstream.producers.execute;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The open model (k6's arrival-rate executors, Gatling's open injection, wrk2): starts each request
 * of an {@link ArrivalSchedule} at its intended time, whatever happened to the requests before it,
 * and hands one timing event per request to a {@link TimingSink}.
 *
 * <p>The schedule never slows down. When {@code maxInFlight} requests are still unanswered as the
 * next one falls due, that one is not made: it is published at once as {@code DROPPED} (latency 0,
 * error "max in flight N reached") and counted, so that an overloaded target shows as dropped
 * requests rather than as a quietly lower rate. A started request is published when the driver
 * answers, on whatever thread completes its future (so the sink must be thread-safe); its event
 * carries the intended time and the actual one, which is later when the executor fell behind.
 *
 * <pre>{@code
 * OpenModelExecutor executor = new OpenModelExecutor(
 *         new ConstantArrivalRate(500, Duration.ofMinutes(5)), 1_000, httpDriver,
 *         EndpointChooser.roundRobin(2), events, publisher, System::nanoTime,
 *         ClockWaiter.parking(System::nanoTime));
 * OpenModelExecutor.Result result = executor.run(stop::get, p -> log(p));
 * executor.counters().awaitIdle(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>{@link #run} is called once, on one thread, which it keeps until the schedule is done.
 */
public final class OpenModelExecutor {

    /** How often {@link #run} reports progress, in clock time. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    /**
     * Where a run stands.
     *
     * @param elapsed clock time since the run started
     * @param total the schedule's duration
     * @param targetRate the rate the schedule asks for now, requests per second
     * @param sent requests started so far
     * @param inFlight requests started and not yet answered
     * @param dropped requests dropped so far
     */
    public record Progress(
            Duration elapsed,
            Duration total,
            double targetRate,
            long sent,
            long inFlight,
            long dropped) {}

    /**
     * How a run ended; requests may still be in flight (see {@link #counters()}).
     *
     * @param scheduled requests that fell due
     * @param started requests handed to the driver
     * @param dropped requests not made because too many were in flight
     * @param elapsed clock time the run took
     * @param stoppedEarly whether it was stopped (or interrupted) before its duration was up
     */
    public record Result(
            long scheduled, long started, long dropped, Duration elapsed, boolean stoppedEarly) {}

    private final ArrivalSchedule schedule;
    private final int maxInFlight;
    private final Driver driver;
    private final EndpointChooser endpoints;
    private final TimingEvents events;
    private final TimingSink sink;
    private final LongSupplier nanoClock;
    private final ClockWaiter waiter;
    private final ExecutionCounters counters = new ExecutionCounters();
    private final String droppedReason;

    /**
     * @param schedule when requests are due
     * @param maxInFlight how many requests may be unanswered at once, at least 1
     * @param driver makes the requests
     * @param endpoints picks each request's endpoint; as many as {@code events} names
     * @param events labels of the events and the wall-clock time of the start
     * @param sink takes every event; called from the driver's threads
     * @param nanoClock monotonic clock, {@code System::nanoTime} outside tests
     * @param waiter waits for {@code nanoClock} to reach a request's time
     */
    public OpenModelExecutor(
            ArrivalSchedule schedule,
            int maxInFlight,
            Driver driver,
            EndpointChooser endpoints,
            TimingEvents events,
            TimingSink sink,
            LongSupplier nanoClock,
            ClockWaiter waiter) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(
                    "max in flight must be at least 1, not " + maxInFlight);
        }
        events.requireSameEndpoints(endpoints);
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.maxInFlight = maxInFlight;
        this.driver = Objects.requireNonNull(driver, "driver");
        this.endpoints = endpoints;
        this.events = events;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.droppedReason = "max in flight " + maxInFlight + " reached";
    }

    /** The counters of this executor's requests, live. */
    public ExecutionCounters counters() {
        return counters;
    }

    /**
     * Runs the schedule to its end, or until {@code stopRequested} returns true or the thread is
     * interrupted (the interrupt flag is then left set). Returns without waiting for requests in
     * flight; {@link ExecutionCounters#awaitIdle} waits for them.
     *
     * @param stopRequested polled before every request and at least once per progress interval
     * @param progress told where the run stands about once per second, and once at the end
     */
    public Result run(BooleanSupplier stopRequested, Consumer<Progress> progress) {
        ProgressClock clock =
                new ProgressClock(
                        nanoClock,
                        waiter,
                        schedule.duration(),
                        PROGRESS_INTERVAL,
                        stopRequested,
                        elapsed -> progress.accept(progress(elapsed)));
        long requests = schedule.requests();
        boolean running = true;
        for (long i = 0; i < requests && running; i++) {
            long offsetNanos = schedule.intendedOffsetNanos(i);
            running = clock.awaitOffset(offsetNanos);
            if (running) {
                fire(offsetNanos, clock.offsetNow());
            }
        }
        if (running) {
            // the run covers its whole duration, not just up to its last request
            running = clock.awaitOffset(schedule.duration().toNanos());
        }
        Duration elapsed = Duration.ofNanos(clock.offsetNow());
        progress.accept(progress(elapsed));
        return new Result(
                counters.scheduled(), counters.started(), counters.dropped(), elapsed, !running);
    }

    private void fire(long intendedOffsetNanos, long actualOffsetNanos) {
        counters.recordScheduled();
        int endpoint = endpoints.next();
        if (!counters.tryStart(maxInFlight)) {
            counters.recordDropped();
            DriverCalls.publish(
                    sink,
                    events.dropped(
                            endpoint, intendedOffsetNanos, actualOffsetNanos, droppedReason));
            return;
        }
        DriverCalls.send(driver, endpoint)
                .whenComplete(
                        (response, failure) -> {
                            DriverCalls.publish(
                                    sink,
                                    events.completed(
                                            endpoint,
                                            intendedOffsetNanos,
                                            actualOffsetNanos,
                                            DriverCalls.answerOf(response, failure)));
                            counters.recordCompleted();
                        });
    }

    private Progress progress(Duration elapsed) {
        return new Progress(
                elapsed,
                schedule.duration(),
                schedule.rateAt(elapsed),
                counters.started(),
                counters.inFlight(),
                counters.dropped());
    }
}
