package io.loadstream.producers.execute;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The closed loop at full speed, as wrk runs: {@code connections} loops, each sending its next
 * request the moment the previous one is answered, for a duration. It finds a service's ceiling
 * (the rate it answers when nothing waits between requests), to compare with wrk directly.
 *
 * <p>At most {@code connections} requests are in flight, and a loop never sends before its previous
 * request is answered; so this is not an open model and has no coordinated-omission correction: an
 * event's intended send time is its actual one. Nothing is ever dropped. The next request is sent
 * from the thread that delivered the answer (a driver's event loop), without a hop through a
 * scheduler; answers that arrive at once (an instant driver) are looped over, not recursed into.
 *
 * <pre>{@code
 * MaxThroughputExecutor executor = new MaxThroughputExecutor(
 *         64, Duration.ofSeconds(30), httpDriver, EndpointChooser.roundRobin(1), events,
 *         publisher, System::nanoTime, ClockWaiter.parking(System::nanoTime));
 * MaxThroughputExecutor.Result result = executor.run(stop::get, p -> log(p));
 * executor.counters().awaitIdle(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>{@link #run} is called once; it keeps its thread for the duration, keeping time and reporting
 * progress, while the loops run on the driver's threads.
 */
public final class MaxThroughputExecutor {

    /** How often a run with a request limit looks whether its requests are all answered. */
    private static final long LIMIT_POLL_NANOS = Duration.ofMillis(5).toNanos();

    /**
     * Where a run stands.
     *
     * @param elapsed clock time since the run started
     * @param total the run's duration
     * @param connections the loops running
     * @param sent requests started so far
     * @param inFlight requests started and not yet answered, at most {@code connections}
     */
    public record Progress(
            Duration elapsed, Duration total, int connections, long sent, long inFlight) {}

    /**
     * How a run ended; the last request of each loop may still be in flight (see {@link
     * #counters()}).
     *
     * @param started requests handed to the driver
     * @param elapsed clock time the run took
     * @param stoppedEarly whether it was stopped (or interrupted) before its duration was up
     */
    public record Result(long started, Duration elapsed, boolean stoppedEarly) {}

    private final int connections;
    private final Duration duration;
    private final Driver driver;
    private final EndpointChooser endpoints;
    private final TimingEvents events;
    private final TimingSink sink;
    private final LongSupplier nanoClock;
    private final ClockWaiter waiter;
    private final ExecutionCounters counters = new ExecutionCounters();
    private volatile long requestLimit = Long.MAX_VALUE;
    private volatile boolean ending;
    private long startNanos;

    /**
     * @param connections requests kept in flight, each sent when the one before it is answered; at
     *     least 1
     * @param duration how long new requests are sent
     * @param driver makes the requests; as many connections as this may be needed
     * @param endpoints picks each request's endpoint; as many as {@code events} names
     * @param events labels of the events and the wall-clock time of the start
     * @param sink takes every event; called from the driver's threads
     * @param nanoClock monotonic clock, {@code System::nanoTime} outside tests
     * @param waiter waits for {@code nanoClock} to reach the next progress report or the end
     */
    public MaxThroughputExecutor(
            int connections,
            Duration duration,
            Driver driver,
            EndpointChooser endpoints,
            TimingEvents events,
            TimingSink sink,
            LongSupplier nanoClock,
            ClockWaiter waiter) {
        if (connections < 1) {
            throw new IllegalArgumentException(
                    "connections must be at least 1, not " + connections);
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, not " + duration);
        }
        events.requireSameEndpoints(endpoints);
        this.connections = connections;
        this.duration = duration;
        this.driver = Objects.requireNonNull(driver, "driver");
        this.endpoints = endpoints;
        this.events = events;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
    }

    /**
     * Makes this executor, before it runs, send at most {@code requests} requests (a loop's last
     * one may take it up to {@code connections - 1} past that) and end as soon as they are
     * answered, or at its duration if that comes first.
     *
     * @return this executor
     */
    public MaxThroughputExecutor limitedTo(long requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("request limit must be at least 1, not " + requests);
        }
        this.requestLimit = requests;
        return this;
    }

    /** The counters of this executor's requests, live. */
    public ExecutionCounters counters() {
        return counters;
    }

    /**
     * Starts the loops and keeps time until the duration is up, {@code stopRequested} returns true
     * or the thread is interrupted (the flag is then left set). Loops send no request after that;
     * returns without waiting for the last ones ({@link ExecutionCounters#awaitIdle} does).
     *
     * @param stopRequested polled at least once per progress interval
     * @param progress told where the run stands about once per second, and once at the end
     */
    public Result run(BooleanSupplier stopRequested, Consumer<Progress> progress) {
        ProgressClock clock =
                new ProgressClock(
                        nanoClock,
                        waiter,
                        duration,
                        OpenModelExecutor.PROGRESS_INTERVAL,
                        stopRequested,
                        elapsed -> progress.accept(progress(elapsed)));
        startNanos = clock.startNanos();
        for (int i = 0; i < connections && !ending; i++) {
            loop();
        }
        boolean completed =
                requestLimit == Long.MAX_VALUE
                        ? clock.awaitOffset(duration.toNanos())
                        : awaitLimitAnswered(clock);
        ending = true;
        Duration elapsed = Duration.ofNanos(Math.min(clock.offsetNow(), duration.toNanos()));
        progress.accept(progress(elapsed));
        return new Result(counters.started(), elapsed, !completed);
    }

    /**
     * Sends requests one after another while the run lasts: a request already answered when sent is
     * followed in this loop; one still pending continues the loop when its answer comes.
     */
    private void loop() {
        while (sending()) {
            int endpoint = endpoints.next();
            long offset = nanoClock.getAsLong() - startNanos;
            counters.recordScheduled();
            counters.tryStart(Long.MAX_VALUE);
            CompletableFuture<DriverResponse> answer = DriverCalls.send(driver, endpoint);
            if (!answer.isDone()) {
                answer.whenComplete(
                        (response, failure) -> {
                            answered(endpoint, offset, response, failure);
                            loop();
                        });
                return;
            }
            answer.whenComplete(
                    (response, failure) -> answered(endpoint, offset, response, failure));
        }
    }

    private boolean sending() {
        return !ending
                && counters.started() < requestLimit
                && nanoClock.getAsLong() - startNanos < duration.toNanos();
    }

    /**
     * Waits until the limit's requests are sent and answered, looking every {@link
     * #LIMIT_POLL_NANOS}, or until the duration is up; false when asked to stop first.
     */
    private boolean awaitLimitAnswered(ProgressClock clock) {
        long end = duration.toNanos();
        while (counters.started() < requestLimit || counters.inFlight() > 0) {
            long next = Math.min(end, clock.offsetNow() + LIMIT_POLL_NANOS);
            if (!clock.awaitOffset(next)) {
                return false;
            }
            if (next >= end) {
                break;
            }
        }
        return true;
    }

    private void answered(int endpoint, long offset, DriverResponse response, Throwable failure) {
        DriverCalls.publish(
                sink,
                events.completed(
                        endpoint, offset, offset, DriverCalls.answerOf(response, failure)));
        counters.recordCompleted();
    }

    private Progress progress(Duration elapsed) {
        return new Progress(
                elapsed, duration, connections, counters.started(), counters.inFlight());
    }
}
