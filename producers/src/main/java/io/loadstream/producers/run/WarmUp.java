package io.loadstream.producers.run;

import io.loadstream.producers.execute.ClockWaiter;
import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.MaxThroughputExecutor;
import io.loadstream.producers.execute.TimingEvents;
import io.loadstream.producers.metrics.GeneratorStats;
import io.loadstream.producers.publish.Publisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The unrecorded calls a generator makes before its run's time 0, so that the run's first requests
 * find the request, timing and publishing code loaded and compiled rather than pay for it in the
 * service's latency.
 *
 * <p>The calls go through the run's own path: the driver's {@link Driver#warmUpDriver() stand-in}
 * (for HTTP, a server of its own on loopback that answers at once, so the target sees none of the
 * calls), the timing events, live stats of their own, and the publisher's {@link
 * Publisher#rehearse} (serialization); none is published or counted in the run. They run as a
 * closed loop, each of up to {@code maxInFlight} loops sending its next call when the last one is
 * answered, until all calls are made and answered or {@link #atMost} has passed: as fast as the
 * cold code allows, and never dropping calls that would cost time of their own.
 *
 * <p>It takes tens of thousands of calls before the JIT has compiled the whole path: after 2,000, a
 * generator asked for 4,000 req/s made 1,800 to 2,900 requests in its first second and needed 5 to
 * 7 s to keep its schedule.
 *
 * @param calls the calls to make, at least 0 (0: no warm-up)
 * @param againstTarget whether the run's connections to the target are opened first (which sends
 *     the target one request per connection); the calls themselves never go to the target
 * @param atMost the longest the warm-up makes calls (then waits at most {@link #ANSWER_WAIT} for
 *     the last answers)
 */
public record WarmUp(int calls, boolean againstTarget, Duration atMost) {

    /**
     * How long a warm-up may take to make its calls unless told otherwise: on two busy cores the
     * JIT keeps compiling for longer than that, and a start-up that waits for it is worse.
     */
    public static final Duration DEFAULT_AT_MOST = Duration.ofSeconds(3);

    /** 10,000 calls within at most 3 s, after opening the connections to the target. */
    public static final WarmUp DEFAULT = new WarmUp(10_000, true);

    /** No warm-up calls and no connections opened in advance. */
    public static final WarmUp NONE = new WarmUp(0, false);

    /**
     * How long the warm-up waits for its last answers, so that none is still in flight (holding a
     * connection) at the run's time 0.
     */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(5);

    public WarmUp {
        if (calls < 0) {
            throw new IllegalArgumentException("warm-up calls must not be negative, not " + calls);
        }
        if (atMost == null || atMost.isNegative() || atMost.isZero()) {
            throw new IllegalArgumentException("warm-up time cap must be positive, not " + atMost);
        }
    }

    /** {@code calls} within at most {@link #DEFAULT_AT_MOST}. */
    public WarmUp(int calls, boolean againstTarget) {
        this(calls, againstTarget, DEFAULT_AT_MOST);
    }

    /** This warm-up, without opening connections to the target first. */
    public WarmUp localOnly() {
        return new WarmUp(calls, false, atMost);
    }

    /**
     * Makes the calls and waits for their answers, at most {@link #atMost} plus {@link
     * #ANSWER_WAIT}, timed on {@code nanoClock} and {@code waiter}, which tests make fake.
     *
     * @param driver the run's driver, whose {@link Driver#warmUpDriver() stand-in} takes the calls
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
        Driver standIn = driver.warmUpDriver();
        try {
            GeneratorStats stats =
                    new GeneratorStats(publisher::rehearse, new SimpleMeterRegistry(), 1);
            TimingEvents events =
                    new TimingEvents(
                            "warm-up", plan.scenario(), "warm-up", plan.endpoints(), Map.of(), 0);
            MaxThroughputExecutor executor =
                    new MaxThroughputExecutor(
                                    Math.min(maxInFlight, calls),
                                    atMost,
                                    standIn,
                                    plan.chooser(),
                                    events,
                                    stats,
                                    nanoClock,
                                    waiter)
                            .limitedTo(calls);
            long made = executor.run(() -> false, progress -> {}).started();
            awaitAnswers(executor, nanoClock, waiter);
            return made;
        } finally {
            if (standIn != driver) {
                standIn.close();
            }
        }
    }

    /** Waits, on the run's clock, at most {@link #ANSWER_WAIT} until no call is in flight. */
    private static void awaitAnswers(
            MaxThroughputExecutor executor, LongSupplier nanoClock, ClockWaiter waiter) {
        long deadline = nanoClock.getAsLong() + ANSWER_WAIT.toNanos();
        try {
            long now;
            while (executor.counters().inFlight() > 0 && (now = nanoClock.getAsLong()) < deadline) {
                waiter.waitUntilNanos(Math.min(deadline, now + Duration.ofMillis(5).toNanos()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
