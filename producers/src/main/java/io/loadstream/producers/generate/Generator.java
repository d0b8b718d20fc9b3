package io.loadstream.producers.generate;

import io.loadstream.avro.RequestTiming;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * An open-model load generator: starts requests at a constant arrival rate, on schedule whatever
 * the responses do, and hands one {@link RequestTiming} per request to a {@link TimingSink}.
 *
 * <p>Request {@code i} goes to endpoint {@code i % endpoints}, at its intended time {@code start +
 * i / rate}. Both the intended and the actual send time travel in the event, so that latency can be
 * corrected for coordinated omission when the generator falls behind. The run lasts the configured
 * duration (the requests whose intended time falls within it) unless stopped sooner.
 *
 * <pre>{@code
 * Generator generator =
 *         new Generator(settings, new SyntheticDriver(settings.endpoints(), settings.seed()),
 *                 publisher, System::nanoTime, nowMicros);
 * Generator.Result result = generator.run(stop::get, p -> log(p.elapsed(), p.sent()));
 * }</pre>
 *
 * <p>A generator is used by one thread; {@link #run} may be called once.
 */
public final class Generator {

    /** How often {@link #run} reports progress, in clock time. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    /** Waits until the generator's clock reaches a deadline; the seam for tests' fake clocks. */
    public interface Waiter {
        void waitUntilNanos(long deadlineNanos) throws InterruptedException;
    }

    /**
     * Where a run stands.
     *
     * @param elapsed clock time since the run started
     * @param total the configured duration
     * @param sent requests made so far
     */
    public record Progress(Duration elapsed, Duration total, long sent) {}

    /**
     * How a run ended.
     *
     * @param sent requests made
     * @param elapsed clock time the run took
     * @param stoppedEarly whether it was stopped (or interrupted) before its duration was up
     */
    public record Result(long sent, Duration elapsed, boolean stoppedEarly) {}

    private final GeneratorSettings settings;
    private final SyntheticDriver driver;
    private final TimingSink sink;
    private final LongSupplier nanoClock;
    private final long startEpochMicros;
    private final Waiter waiter;
    private final ConstantArrivalSchedule schedule;

    /**
     * A generator that waits by parking the thread.
     *
     * @param driver responds to the requests; must have the settings' endpoints
     * @param nanoClock monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     * @param startEpochMicros wall-clock time, microseconds since the epoch, that stands for the
     *     moment {@link #run} starts; intended and actual send times are counted from it
     */
    public Generator(
            GeneratorSettings settings,
            SyntheticDriver driver,
            TimingSink sink,
            LongSupplier nanoClock,
            long startEpochMicros) {
        this(settings, driver, sink, nanoClock, startEpochMicros, parkingWaiter(nanoClock));
    }

    /** A generator that waits with {@code waiter}, which must advance {@code nanoClock}. */
    public Generator(
            GeneratorSettings settings,
            SyntheticDriver driver,
            TimingSink sink,
            LongSupplier nanoClock,
            long startEpochMicros,
            Waiter waiter) {
        if (!driver.endpoints().equals(settings.endpoints())) {
            throw new IllegalArgumentException(
                    "the driver's endpoints " + driver.endpoints() + " are not the settings' ones");
        }
        this.settings = settings;
        this.driver = driver;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.startEpochMicros = startEpochMicros;
        this.waiter = waiter;
        this.schedule = new ConstantArrivalSchedule(settings.rate());
    }

    /**
     * Generates load for the configured duration, or until {@code stopRequested} returns true or
     * the thread is interrupted (the interrupt flag is then left set).
     *
     * @param stopRequested polled before every request and at least once per progress interval
     * @param progress told where the run stands about once per second, and once at the end
     */
    public Result run(BooleanSupplier stopRequested, Consumer<Progress> progress) {
        Run run = new Run(nanoClock.getAsLong(), stopRequested, progress);
        long requests = schedule.requestsWithin(settings.duration());
        boolean running = true;
        for (long i = 0; i < requests && running; i++) {
            long offsetNanos = schedule.intendedOffsetNanos(i);
            running = run.awaitUntil(run.startNanos + offsetNanos);
            if (running) {
                request(i, offsetNanos, run);
            }
        }
        if (running) {
            // the run covers its whole duration, not just up to its last request
            running = run.awaitUntil(run.endNanos);
        }
        Duration elapsed = run.elapsed(nanoClock.getAsLong());
        progress.accept(new Progress(elapsed, settings.duration(), run.sent));
        return new Result(run.sent, elapsed, !running);
    }

    private void request(long i, long offsetNanos, Run run) {
        int endpoint = (int) (i % settings.endpoints().size());
        long intendedUs = startEpochMicros + offsetNanos / 1_000;
        long actualUs = startEpochMicros + (nanoClock.getAsLong() - run.startNanos) / 1_000;
        SyntheticDriver.Response response = driver.call(endpoint);
        sink.publish(
                RequestTiming.newBuilder()
                        .setRunId(settings.runId())
                        .setScenario(settings.scenario())
                        .setEndpoint(settings.endpoints().get(endpoint).endpoint())
                        .setGeneratorId(settings.generatorId())
                        .setIntendedSendTimeUs(intendedUs)
                        .setActualSendTimeUs(actualUs)
                        .setLatencyUs(response.latencyUs())
                        .setOutcome(response.outcome())
                        .setStatusCode(response.statusCode())
                        .setBytesSent(0L)
                        .setBytesReceived(0L)
                        .setError(response.error())
                        .setTags(Map.of())
                        .build());
        run.sent++;
    }

    /** The state of one run: its start, requests so far and when progress is next due. */
    private final class Run {
        final long startNanos;
        final long endNanos;
        final BooleanSupplier stopRequested;
        final Consumer<Progress> progress;
        long nextProgressNanos;
        long sent;

        Run(long startNanos, BooleanSupplier stopRequested, Consumer<Progress> progress) {
            this.startNanos = startNanos;
            this.endNanos = startNanos + settings.duration().toNanos();
            this.stopRequested = stopRequested;
            this.progress = progress;
            this.nextProgressNanos = startNanos + PROGRESS_INTERVAL.toNanos();
        }

        /**
         * Waits until {@code deadlineNanos}, reporting progress when due; false when the run is to
         * stop instead. Returns at once, after a report if one is due, when the deadline has
         * passed.
         */
        boolean awaitUntil(long deadlineNanos) {
            while (true) {
                long now = nanoClock.getAsLong();
                // from the end of the duration on, the final report says it all
                if (now - nextProgressNanos >= 0 && now - endNanos < 0) {
                    progress.accept(new Progress(elapsed(now), settings.duration(), sent));
                    nextProgressNanos += PROGRESS_INTERVAL.toNanos();
                    if (now - nextProgressNanos >= 0) {
                        // after a stall, one report, not one per interval missed
                        nextProgressNanos = now + PROGRESS_INTERVAL.toNanos();
                    }
                }
                if (stopRequested.getAsBoolean()) {
                    return false;
                }
                if (now - deadlineNanos >= 0) {
                    return true;
                }
                try {
                    waiter.waitUntilNanos(
                            deadlineNanos - nextProgressNanos < 0
                                    ? deadlineNanos
                                    : nextProgressNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }

        Duration elapsed(long nowNanos) {
            return Duration.ofNanos(nowNanos - startNanos);
        }
    }

    /** Parks the thread until {@code nanoClock} reaches the deadline. */
    private static Waiter parkingWaiter(LongSupplier nanoClock) {
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
