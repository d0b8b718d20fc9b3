package io.loadstream.producers.run;

import io.loadstream.producers.execute.ArrivalSchedule;
import io.loadstream.producers.execute.ClockWaiter;
import io.loadstream.producers.execute.ClosedModelExecutor;
import io.loadstream.producers.execute.ConstantArrivalRate;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.EndpointChooser;
import io.loadstream.producers.execute.ExecutionCounters;
import io.loadstream.producers.execute.MaxThroughputExecutor;
import io.loadstream.producers.execute.OpenModelExecutor;
import io.loadstream.producers.execute.RampingArrivalRate;
import io.loadstream.producers.execute.SingleThreadScheduler;
import io.loadstream.producers.execute.TimingEvents;
import io.loadstream.producers.execute.TimingSink;
import io.loadstream.producers.execute.VirtualUserSchedule;
import io.loadstream.producers.scenario.ExecutorSpec;
import io.loadstream.producers.scenario.ExecutorType;
import io.loadstream.producers.scenario.Stage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs an executor spec of a scenario against a driver: an open-model executor for the arrival rate
 * types, a closed-model one for the virtual-user types, closed loops at full speed for {@code
 * max-throughput}, with this generator's {@link LoadShare} of the load.
 *
 * <p>The open model keeps time by the nanosecond clock and waiter it is given ({@code
 * System::nanoTime} and a parking waiter in production; a fake clock that the waiter moves in
 * tests). The closed model runs on a scheduler thread of its own, on {@code System.nanoTime()}.
 */
public final class LoadExecution {

    /**
     * Where a run stands, in either model.
     *
     * @param target what the schedule asks for now, for example {@code 500 req/s} or {@code 10 VUs}
     * @param targetRate the arrival rate asked for now (open model), or 0
     * @param dropped requests the open model could not start on time (max in flight reached)
     */
    public record Status(
            Duration elapsed,
            Duration total,
            String target,
            double targetRate,
            long sent,
            long inFlight,
            long dropped) {}

    /** How long the open model waits for the requests in flight when none is given. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

    /**
     * How a run ended.
     *
     * @param unanswered requests still in flight when the wait for them ended, whose events are not
     *     in the publisher's counts (open model; the closed model waits for every answer)
     */
    public record Result(
            long started, long dropped, Duration elapsed, boolean stoppedEarly, long unanswered) {

        /** A run whose every request was answered. */
        public Result(long started, long dropped, Duration elapsed, boolean stoppedEarly) {
            this(started, dropped, elapsed, stoppedEarly, 0);
        }
    }

    private final ExecutorSpec spec;
    private final LoadShare share;
    private final Driver driver;
    private final EndpointChooser chooser;
    private final TimingEvents events;
    private final TimingSink sink;
    private final LongSupplier nanoClock;
    private final ClockWaiter waiter;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

    /** An execution on {@code System::nanoTime}. */
    public LoadExecution(
            ExecutorSpec spec,
            LoadShare share,
            Driver driver,
            EndpointChooser chooser,
            TimingEvents events,
            TimingSink sink) {
        this(
                spec,
                share,
                driver,
                chooser,
                events,
                sink,
                System::nanoTime,
                ClockWaiter.parking(System::nanoTime));
    }

    /**
     * @param nanoClock the open model's monotonic clock
     * @param waiter waits for {@code nanoClock} to reach a request's time
     */
    public LoadExecution(
            ExecutorSpec spec,
            LoadShare share,
            Driver driver,
            EndpointChooser chooser,
            TimingEvents events,
            TimingSink sink,
            LongSupplier nanoClock,
            ClockWaiter waiter) {
        this.spec = spec;
        this.share = share;
        this.driver = driver;
        this.chooser = chooser;
        this.events = events;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.waiter = waiter;
    }

    /**
     * How long {@link #run} waits for the requests in flight once the schedule has ended or was
     * stopped (open model); {@link #DEFAULT_IDLE_TIMEOUT} unless set.
     */
    public LoadExecution withIdleTimeout(Duration timeout) {
        this.idleTimeout = timeout;
        return this;
    }

    /**
     * Runs until the schedule ends or {@code stop} says so, then waits for the requests in flight
     * (the open model at most the idle timeout: those still unanswered then are in {@link
     * Result#unanswered()}).
     */
    public Result run(BooleanSupplier stop, Consumer<Status> progress) {
        if (spec.type() == ExecutorType.MAX_THROUGHPUT) {
            return runMaxThroughput(stop, progress);
        }
        return spec.type().openModel() ? runOpen(stop, progress) : runClosed(stop, progress);
    }

    private Result runOpen(BooleanSupplier stop, Consumer<Status> progress) {
        OpenModelExecutor executor =
                new OpenModelExecutor(
                        arrivalSchedule(spec, share),
                        spec.maxInFlight() != null
                                ? spec.maxInFlight()
                                : ExecutorSpec.DEFAULT_MAX_IN_FLIGHT,
                        driver,
                        chooser,
                        events,
                        sink,
                        nanoClock,
                        waiter);
        OpenModelExecutor.Result result =
                executor.run(
                        stop,
                        p ->
                                progress.accept(
                                        new Status(
                                                p.elapsed(),
                                                p.total(),
                                                String.format("%.0f req/s", p.targetRate()),
                                                p.targetRate(),
                                                p.sent(),
                                                p.inFlight(),
                                                p.dropped())));
        long unanswered = awaitIdle(executor.counters());
        return new Result(
                result.started(),
                result.dropped(),
                result.elapsed(),
                result.stoppedEarly(),
                unanswered);
    }

    private Result runMaxThroughput(BooleanSupplier stop, Consumer<Status> progress) {
        MaxThroughputExecutor executor =
                new MaxThroughputExecutor(
                        Math.max(1, share.users(spec.connections())),
                        spec.duration(),
                        driver,
                        chooser,
                        events,
                        sink,
                        nanoClock,
                        waiter);
        MaxThroughputExecutor.Result result =
                executor.run(
                        stop,
                        p ->
                                progress.accept(
                                        new Status(
                                                p.elapsed(),
                                                p.total(),
                                                p.connections() + " connections",
                                                0,
                                                p.sent(),
                                                p.inFlight(),
                                                0)));
        long unanswered = awaitIdle(executor.counters());
        return new Result(result.started(), 0, result.elapsed(), result.stoppedEarly(), unanswered);
    }

    private Result runClosed(BooleanSupplier stop, Consumer<Status> progress) {
        try (SingleThreadScheduler scheduler = new SingleThreadScheduler("virtual-users")) {
            ClosedModelExecutor executor =
                    new ClosedModelExecutor(
                            userSchedule(spec, share),
                            spec.pacing() != null ? spec.pacing() : ClosedModelExecutor.NO_PACING,
                            driver,
                            chooser,
                            events,
                            sink,
                            scheduler);
            ClosedModelExecutor.Result result =
                    executor.start(
                                    stop,
                                    p ->
                                            progress.accept(
                                                    new Status(
                                                            p.elapsed(),
                                                            p.total(),
                                                            p.targetUsers() + " VUs",
                                                            0,
                                                            p.sent(),
                                                            p.inFlight(),
                                                            0)))
                            .get();
            return new Result(result.started(), 0, result.elapsed(), result.stoppedEarly());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running virtual users", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "the virtual users failed: " + e.getCause(), e.getCause());
        }
    }

    /** Waits for the requests in flight; returns how many are still unanswered. */
    private long awaitIdle(ExecutionCounters counters) {
        try {
            counters.awaitIdle(idleTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return counters.inFlight();
    }

    /** The arrival schedule of an open-model spec, for this share. */
    public static ArrivalSchedule arrivalSchedule(ExecutorSpec spec, LoadShare share) {
        return switch (spec.type()) {
            case CONSTANT_ARRIVAL_RATE ->
                    new ConstantArrivalRate(share.rate(spec.rate()), spec.duration());
            case RAMPING_ARRIVAL_RATE ->
                    new RampingArrivalRate(
                            share.rate(spec.startRate() != null ? spec.startRate() : 0),
                            stages(spec.stages()).stream()
                                    .map(
                                            s ->
                                                    new RampingArrivalRate.Stage(
                                                            s.duration(), share.rate(s.target())))
                                    .toList());
            default -> throw new IllegalArgumentException(spec.type() + " is not an open model");
        };
    }

    /** The virtual-user schedule of a closed-model spec, for this share. */
    public static VirtualUserSchedule userSchedule(ExecutorSpec spec, LoadShare share) {
        return switch (spec.type()) {
            case CONSTANT_VUS ->
                    VirtualUserSchedule.constant(share.users(spec.vus()), spec.duration());
            case RAMPING_VUS ->
                    VirtualUserSchedule.ramping(
                            0,
                            stages(spec.stages()).stream()
                                    .map(
                                            s ->
                                                    new VirtualUserSchedule.Stage(
                                                            s.duration(),
                                                            share.users(
                                                                    (int) Math.round(s.target()))))
                                    .toList());
            default -> throw new IllegalArgumentException(spec.type() + " is not a closed model");
        };
    }

    private static List<Stage> stages(List<Stage> stages) {
        return stages == null ? List.of() : stages;
    }
}
