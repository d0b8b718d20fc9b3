package io.loadstream.producers.run;

import io.loadstream.producers.execute.ClockWaiter;
import io.loadstream.producers.execute.ConstantArrivalRate;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.OpenModelExecutor;
import io.loadstream.producers.execute.TimingEvents;
import io.loadstream.producers.metrics.GeneratorStats;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.producers.synthetic.SyntheticDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The unrecorded calls a generator makes before its run's time 0, so that the run's first requests
 * find the request, timing and publishing code loaded and compiled, and the target's connections
 * open, rather than pay for them in the service's latency.
 *
 * <p>The calls go through the run's own path: an open-model executor with the run's max in flight,
 * the driver, the timing events, live stats of their own, and the publisher's {@link
 * Publisher#rehearse} (serialization); none is published or counted in the run. Against the target
 * by default; where the target must not see extra traffic ({@link #localOnly()}), against a local
 * stand-in: a {@link SyntheticDriver} of the same endpoints, which warms everything but the HTTP
 * client.
 *
 * <p>The warm-up is bounded by the calls it makes, not by the time they were planned to take: a
 * cold target answers its first calls slowly, the max in flight is reached, and the executor drops
 * what falls due meanwhile (a first second may make only a few hundred of 2,000 calls). Then the
 * calls still missing are scheduled again, at the same rate, once the ones in flight are answered,
 * until all are made or {@link #atMost} has passed.
 *
 * @param calls the calls to make, at least 0 (0: no warm-up)
 * @param within the time the calls are spread over, which sets their rate
 * @param againstTarget whether the calls go to the run's driver (and its connections are opened
 *     first) or to the local stand-in
 * @param atMost the longest the warm-up keeps scheduling the calls not yet made (then waits at most
 *     {@link #ANSWER_WAIT} for the answers), at least {@code within}
 */
public record WarmUp(int calls, Duration within, boolean againstTarget, Duration atMost) {

    /** How long a warm-up may take to make its calls unless told otherwise. */
    public static final Duration DEFAULT_AT_MOST = Duration.ofSeconds(5);

    /** 2,000 calls at 2,000 a second, to the target, within at most 5 s. */
    public static final WarmUp DEFAULT = new WarmUp(2_000, Duration.ofSeconds(1), true);

    /** No warm-up calls and no connections opened in advance. */
    public static final WarmUp NONE = new WarmUp(0, Duration.ofSeconds(1), false);

    /**
     * How long the warm-up waits for its last answers, so that none is still in flight (holding a
     * connection) at the run's time 0.
     */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(5);

    /** How often the warm-up looks whether its calls in flight have been answered. */
    private static final long ANSWER_POLL_NANOS = Duration.ofMillis(5).toNanos();

    public WarmUp {
        if (calls < 0) {
            throw new IllegalArgumentException("warm-up calls must not be negative, not " + calls);
        }
        if (within == null || within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("warm-up time must be positive, not " + within);
        }
        if (atMost == null || atMost.compareTo(within) < 0) {
            throw new IllegalArgumentException(
                    "warm-up time cap (" + atMost + ") must be at least its time (" + within + ")");
        }
    }

    /** {@code calls} spread over {@code within}, within at most {@link #DEFAULT_AT_MOST}. */
    public WarmUp(int calls, Duration within, boolean againstTarget) {
        this(calls, within, againstTarget, max(within, DEFAULT_AT_MOST));
    }

    /** This warm-up, against a local stand-in rather than the target. */
    public WarmUp localOnly() {
        return new WarmUp(calls, within, false, atMost);
    }

    /**
     * Makes the calls and waits for their answers: schedules them over {@link #within}, and those
     * dropped (too many in flight) again once the calls in flight are answered, until all are made
     * or {@link #atMost} has passed; then waits at most {@link #ANSWER_WAIT} for the last answers.
     * Timed on {@code nanoClock} and {@code waiter}, which tests make fake.
     *
     * @param driver the run's driver; with {@link #againstTarget} false only its endpoints' names
     *     are used
     * @param maxInFlight the most calls in flight at once: the run's max in flight, or fewer (the
     *     connections open) so that calls do not queue for a connection
     * @return calls made
     */
    long run(
            LoadPlan plan,
            Driver driver,
            int maxInFlight,
            Publisher publisher,
            LongSupplier nanoClock,
            ClockWaiter waiter) {
        if (calls == 0) {
            return 0;
        }
        Driver target = againstTarget ? driver.warmUpDriver() : standIn(plan.endpoints());
        try {
            GeneratorStats stats =
                    new GeneratorStats(publisher::rehearse, new SimpleMeterRegistry(), 1);
            TimingEvents events =
                    new TimingEvents(
                            "warm-up", plan.scenario(), "warm-up", plan.endpoints(), Map.of(), 0);
            double rate = calls / (within.toNanos() / 1e9);
            long deadline = nanoClock.getAsLong() + atMost.toNanos();
            long made = 0;
            OpenModelExecutor executor = null;
            while (made < calls) {
                if (executor != null && !awaitAnswers(executor, nanoClock, waiter, deadline)) {
                    break;
                }
                long left = deadline - nanoClock.getAsLong();
                if (left <= 0) {
                    break;
                }
                long missing = calls - made;
                Duration spread =
                        Duration.ofNanos(
                                Math.min(
                                        left, Math.max(1, (long) Math.ceil(missing / rate * 1e9))));
                executor =
                        new OpenModelExecutor(
                                new ConstantArrivalRate(rate, spread),
                                maxInFlight,
                                target,
                                plan.chooser(),
                                events,
                                stats,
                                nanoClock,
                                waiter);
                made += executor.run(() -> false, progress -> {}).started();
            }
            if (executor != null) {
                awaitAnswers(
                        executor, nanoClock, waiter, nanoClock.getAsLong() + ANSWER_WAIT.toNanos());
            }
            return made;
        } finally {
            if (target != driver) {
                target.close();
            }
        }
    }

    /** Waits, on the run's clock, until no call is in flight; false if the deadline came first. */
    private static boolean awaitAnswers(
            OpenModelExecutor executor, LongSupplier nanoClock, ClockWaiter waiter, long deadline) {
        try {
            long now;
            while (executor.counters().inFlight() > 0 && (now = nanoClock.getAsLong()) < deadline) {
                waiter.waitUntilNanos(Math.min(deadline, now + ANSWER_POLL_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return executor.counters().inFlight() == 0;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Driver standIn(List<String> endpoints) {
        return new SyntheticDriver(
                endpoints.stream()
                        .map(
                                name ->
                                        new LatencyProfile(
                                                name,
                                                LatencyProfile.DEFAULT_MEDIAN,
                                                LatencyProfile.DEFAULT_P99,
                                                0))
                        .toList(),
                0);
    }
}
