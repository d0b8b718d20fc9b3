package io.loadstream.producers.generate;

import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.execute.ClockWaiter;
import io.loadstream.producers.execute.ConstantArrivalRate;
import io.loadstream.producers.execute.EndpointChooser;
import io.loadstream.producers.execute.OpenModelExecutor;
import io.loadstream.producers.execute.TimingEvents;
import java.time.Duration;
import java.util.Map;
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
 * <p>It is the {@link OpenModelExecutor} on a {@link ConstantArrivalRate}, with round-robin
 * endpoints and no limit on requests in flight (the synthetic driver answers at once).
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
    public static final Duration PROGRESS_INTERVAL = OpenModelExecutor.PROGRESS_INTERVAL;

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

    private final OpenModelExecutor executor;
    private final Duration duration;

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
        this(
                settings,
                driver,
                sink,
                nanoClock,
                startEpochMicros,
                ClockWaiter.parking(nanoClock)::waitUntilNanos);
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
        TimingEvents events =
                new TimingEvents(
                        settings.runId(),
                        settings.scenario(),
                        settings.generatorId(),
                        settings.endpoints().stream().map(LatencyProfile::endpoint).toList(),
                        Map.of(),
                        startEpochMicros);
        this.executor =
                new OpenModelExecutor(
                        new ConstantArrivalRate(settings.rate(), settings.duration()),
                        Integer.MAX_VALUE,
                        driver,
                        EndpointChooser.roundRobin(settings.endpoints().size()),
                        events,
                        sink,
                        nanoClock,
                        waiter::waitUntilNanos);
        this.duration = settings.duration();
    }

    /**
     * Generates load for the configured duration, or until {@code stopRequested} returns true or
     * the thread is interrupted (the interrupt flag is then left set).
     *
     * @param stopRequested polled before every request and at least once per progress interval
     * @param progress told where the run stands about once per second, and once at the end
     */
    public Result run(BooleanSupplier stopRequested, Consumer<Progress> progress) {
        OpenModelExecutor.Result result =
                executor.run(
                        stopRequested,
                        p -> progress.accept(new Progress(p.elapsed(), duration, p.sent())));
        return new Result(result.started(), result.elapsed(), result.stoppedEarly());
    }
}
