package io.loadstream.producers.run;

import io.loadstream.avro.Outcome;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.TimingEvents;
import io.loadstream.producers.execute.TimingSink;
import io.loadstream.producers.metrics.GeneratorMetrics;
import io.loadstream.producers.metrics.GeneratorStats;
import io.loadstream.producers.metrics.MetricsAddress;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.publish.RunEnd;
import io.loadstream.producers.scenario.ExecutorSpec;
import io.loadstream.producers.scenario.StopCondition;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One generator's part of a run, as {@code generate} and {@code demo} make it: executes a {@link
 * LoadPlan} with this generator's {@link LoadShare}, and hands every request's timing event through
 * the live {@link GeneratorStats} to the {@link Publisher}. Once a second it rolls the stats, ticks
 * the publisher, checks the plan's stop condition and reports a status line. When the schedule is
 * done, a stop is requested or the stop condition is passed, it waits for the requests in flight,
 * finishes the publisher and reports what happened, within its shutdown timeout: a broker that is
 * away does not keep it for longer. What Kafka has not acknowledged by then is counted as failed or
 * dropped and said in one line, so that {@code events = acknowledged + failed + dropped} on every
 * way out.
 *
 * <p>It prints nothing: notes and status lines go to the caller's consumer.
 *
 * <pre>{@code
 * RunClock clock = RunClock.system();
 * try (Publisher publisher =
 *         Publishers.open(config, serdes, topics, PublishMode.EVENTS, 200_000, clock.wall())) {
 *     GeneratorRun.Report report =
 *             new GeneratorRun(plan, LoadShare.ALL, "run-1", "gen-1", publisher,
 *                             Optional.empty(), clock)
 *                     .run(stop::get, System.err::println);
 * }
 * }</pre>
 */
public final class GeneratorRun {

    /**
     * How long a run may take, once its schedule is done or stopped, to collect the answers of the
     * requests in flight and Kafka's acknowledgements, unless told otherwise.
     */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** How many seconds the status line's percentiles cover when no stop condition says. */
    static final int DEFAULT_RECENT_SECONDS = 5;

    /** How long the driver may take to open its connections before the run starts without them. */
    static final Duration PREPARE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How a run went.
     *
     * @param result what the executor did
     * @param events timing events handed to the publisher
     * @param acknowledged events the broker acknowledged
     * @param failed events the producer gave up on
     * @param dropped events that never reached the producer
     * @param breakingPoint where the stop condition was passed, if it was
     * @param firstFailure the first publishing failure, if any
     * @param warmup of the events handed to the publisher, those of the warm-up: analyze counts
     *     them apart from the run's results
     * @param outcomes the run's requests by outcome, the warm-up's and schedule-dropped ones
     *     included
     */
    public record Report(
            LoadExecution.Result result,
            long events,
            long acknowledged,
            long failed,
            long dropped,
            Optional<String> breakingPoint,
            Optional<String> firstFailure,
            long warmup,
            Map<Outcome, Long> outcomes) {}

    private final LoadPlan plan;
    private final LoadShare share;
    private final String runId;
    private final String generatorId;
    private final Publisher publisher;
    private final Optional<MetricsAddress> metrics;
    private final RunClock clock;
    private final int recentSeconds;
    private final Duration shutdownTimeout;
    private Readiness readiness;
    private WarmUp warmUp = WarmUp.DEFAULT;
    private volatile long lastProgressNanos;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<String> breakingPoint = new AtomicReference<>();

    /**
     * @param runId test run the events belong to; every generator of a run has the same
     * @param generatorId this generator, unique within the run
     * @param publisher takes every event; finished by {@link #run}, closed by the caller
     * @param metrics where to serve Prometheus metrics while running, if anywhere
     */
    public GeneratorRun(
            LoadPlan plan,
            LoadShare share,
            String runId,
            String generatorId,
            Publisher publisher,
            Optional<MetricsAddress> metrics,
            RunClock clock) {
        this(plan, share, runId, generatorId, publisher, metrics, clock, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * @param shutdownTimeout how long the run may take, once its schedule is done or stopped, to
     *     wait for the requests in flight and for Kafka's acknowledgements
     */
    public GeneratorRun(
            LoadPlan plan,
            LoadShare share,
            String runId,
            String generatorId,
            Publisher publisher,
            Optional<MetricsAddress> metrics,
            RunClock clock,
            Duration shutdownTimeout) {
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "the shutdown timeout must not be negative, not " + shutdownTimeout);
        }
        this.shutdownTimeout = shutdownTimeout;
        this.plan = Objects.requireNonNull(plan, "plan");
        this.share = Objects.requireNonNull(share, "share");
        this.runId = requireNotBlank(runId, "run id");
        this.generatorId = requireNotBlank(generatorId, "generator id");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recentSeconds =
                plan.stopWhen()
                        .map(StopCondition::window)
                        .map(w -> (int) Math.max(1, w.toSeconds()))
                        .orElse(DEFAULT_RECENT_SECONDS);
    }

    /**
     * Gets ready with {@code warmUp}, and adds its steps to {@code readiness}, which may hold the
     * caller's steps already (Kafka, schemas); by default the run warms up with {@link
     * WarmUp#DEFAULT} and times its steps on the run's clock.
     */
    public GeneratorRun withReadiness(Readiness readiness, WarmUp warmUp) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.warmUp = Objects.requireNonNull(warmUp, "warmUp");
        return this;
    }

    /** Runs the plan once, with notes and status lines to the same consumer. */
    public Report run(BooleanSupplier stopRequested, Consumer<String> status) {
        return run(stopRequested, status, status);
    }

    /**
     * Runs the plan once: gets ready (connections, warm-up, and the steps of {@link
     * #withReadiness}'s readiness that run alongside), then starts the schedule, whose time 0 is
     * when the last step of getting ready is done.
     *
     * @param stopRequested polled while running; true stops the schedule early
     * @param notes gets notes: where metrics are served, and the ready line
     * @param status gets a status line about once a second
     */
    public Report run(
            BooleanSupplier stopRequested, Consumer<String> notes, Consumer<String> status) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a generator run runs once");
        }
        try (GeneratorMetrics meters = GeneratorMetrics.start(publisher, recentSeconds, metrics);
                Driver driver = plan.openDriver()) {
            meters.url().ifPresent(url -> notes.accept("Metrics at " + url));
            getReady(driver);
            readiness.steps().forEach(step -> meters.ready(step.name(), step.took()));
            meters.ready("total", readiness.total());
            notes.accept("R" + readiness.line().substring(1));
            lastProgressNanos = clock.nanos().getAsLong();
            GeneratorStats stats = meters.stats();
            WarmupCount sink = new WarmupCount(stats);
            LoadExecution.Result result =
                    execution(driver, sink)
                            .run(
                                    () ->
                                            stopRequested.getAsBoolean()
                                                    || breakingPoint.get() != null,
                                    progress -> everySecond(stats, progress, status));
            // stopped or done alike: end markers after the last event tell analyze the run is over
            publisher.endWith(
                    new RunEnd(
                            runId,
                            plan.scenario(),
                            plan.endpoints(),
                            generatorId,
                            share.instances()));
            long unacknowledged = publisher.finish(remainingShutdownTime());
            if (result.unanswered() > 0 || unacknowledged > 0) {
                status.accept(shutdownNote(result.unanswered(), unacknowledged));
            }
            if (!publisher.endAcknowledged()) {
                status.accept(
                        "The end of this generator's part of the run was not acknowledged by"
                                + " Kafka: analyze closes the run after its idle timeout.");
            }
            return new Report(
                    result,
                    publisher.sent(),
                    publisher.acknowledged(),
                    publisher.failed(),
                    publisher.dropped(),
                    Optional.ofNullable(breakingPoint.get()),
                    publisher.firstFailure(),
                    sink.warmup(),
                    stats.outcomes());
        }
    }

    /**
     * Opens the driver's connections and warms up, timing both, then waits for the caller's steps
     * that ran alongside; before the run's time 0.
     */
    private void getReady(Driver driver) {
        if (readiness == null) {
            readiness = new Readiness(clock.nanos());
        }
        LongSupplier nanos = clock.nanos();
        int open = 0;
        if (warmUp.againstTarget()) {
            long start = nanos.getAsLong();
            open = driver.prepare(PREPARE_TIMEOUT);
            if (open > 0) {
                readiness.add(
                        new Readiness.Step(
                                "connections",
                                open + (open == 1 ? " connection" : " connections"),
                                Duration.ofNanos(nanos.getAsLong() - start),
                                ""));
            }
        }
        if (warmUp.calls() > 0) {
            long start = nanos.getAsLong();
            // no more warm-up calls at once than connections, so that none waits for one
            int inFlight = open > 0 ? Math.min(open, maxInFlight()) : maxInFlight();
            long calls = warmUp.run(plan, driver, inFlight, publisher, nanos, clock.waiter());
            readiness.add(
                    new Readiness.Step(
                            "warm-up",
                            "warm-up",
                            Duration.ofNanos(nanos.getAsLong() - start),
                            String.format(Locale.ROOT, "%,d calls to a local stand-in", calls)));
        }
        readiness.awaitAlongside();
    }

    private int maxInFlight() {
        Integer max = plan.executor().maxInFlight();
        return max != null ? max : ExecutorSpec.DEFAULT_MAX_IN_FLIGHT;
    }

    private LoadExecution execution(Driver driver, TimingSink sink) {
        TimingEvents events =
                new TimingEvents(
                        runId,
                        plan.scenario(),
                        generatorId,
                        plan.endpoints(),
                        Map.of(),
                        TimingEvents.epochMicros(clock.wall().instant()));
        return new LoadExecution(
                        plan.executorWithWarmup(),
                        share,
                        driver,
                        plan.chooser(),
                        events.withWarmup(plan.warmup()),
                        sink,
                        clock.nanos(),
                        clock.waiter())
                .withIdleTimeout(shutdownTimeout);
    }

    /** The shutdown timeout less the time since the schedule ended (its last progress report). */
    private Duration remainingShutdownTime() {
        long spent = clock.nanos().getAsLong() - lastProgressNanos;
        return Duration.ofNanos(Math.max(0, shutdownTimeout.toNanos() - Math.max(0, spent)));
    }

    private String shutdownNote(long unanswered, long unacknowledged) {
        return String.format(
                Locale.ROOT,
                "Shutdown timeout of %s passed: %d events not acknowledged by Kafka are counted as"
                        + " failed or dropped%s.",
                seconds(shutdownTimeout),
                unacknowledged,
                unanswered > 0
                        ? ", " + unanswered + " requests still unanswered have no event"
                        : "");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void everySecond(
            GeneratorStats stats, LoadExecution.Status progress, Consumer<String> status) {
        lastProgressNanos = clock.nanos().getAsLong();
        stats.roll();
        publisher.tick();
        // the warm-up is not measured, so it cannot be the breaking point
        if (breakingPoint.get() == null && progress.elapsed().compareTo(plan.warmup()) > 0) {
            plan.stopWhen()
                    .flatMap(limits -> breach(limits, stats, progress))
                    .ifPresent(breakingPoint::set);
        }
        status.accept(statusLine(stats, progress));
    }

    private static Optional<String> breach(
            StopCondition limits, GeneratorStats stats, LoadExecution.Status progress) {
        return BreakingPoint.check(
                limits,
                stats.recentErrorRate(),
                stats.recent().getValueAtPercentile(99),
                progress.target(),
                progress.elapsed());
    }

    private String statusLine(GeneratorStats stats, LoadExecution.Status s) {
        Histogram recent = stats.recent();
        return String.format(
                Locale.ROOT,
                "%s%ds/%ds  rate %d/%s  in-flight %d  p50 %.1fms p99 %.1fms (%ds)  errors %d "
                        + " dropped %d  %s",
                inWarmup(s.elapsed()) ? "warm-up " : "",
                s.elapsed().toSeconds(),
                s.total().toSeconds(),
                stats.lastSecondRequests(),
                s.target(),
                s.inFlight(),
                recent.getValueAtPercentile(50) / 1000.0,
                recent.getValueAtPercentile(99) / 1000.0,
                recentSeconds,
                stats.errors(),
                s.dropped(),
                publisher.status());
    }

    /** Whether the second of the status line at {@code elapsed} was (partly) of the warm-up. */
    private boolean inWarmup(Duration elapsed) {
        return !plan.warmup().isZero() && elapsed.minusSeconds(1).compareTo(plan.warmup()) < 0;
    }

    private static String requireNotBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }
}
