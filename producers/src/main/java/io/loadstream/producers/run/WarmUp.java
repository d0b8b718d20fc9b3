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
 * @param calls the most calls, at least 0 (0: no warm-up)
 * @param within the time the calls are spread over, which bounds the warm-up (with at most {@link
 *     #ANSWER_WAIT} to wait for their answers)
 * @param againstTarget whether the calls go to the run's driver (and its connections are opened
 *     first) or to the local stand-in
 */
public record WarmUp(int calls, Duration within, boolean againstTarget) {

    /** 2,000 calls within 1 s, to the target. */
    public static final WarmUp DEFAULT = new WarmUp(2_000, Duration.ofSeconds(1), true);

    /** No warm-up calls and no connections opened in advance. */
    public static final WarmUp NONE = new WarmUp(0, Duration.ofSeconds(1), false);

    public WarmUp {
        if (calls < 0) {
            throw new IllegalArgumentException("warm-up calls must not be negative, not " + calls);
        }
        if (within == null || within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("warm-up time must be positive, not " + within);
        }
    }

    /** This warm-up, against a local stand-in rather than the target. */
    public WarmUp localOnly() {
        return new WarmUp(calls, within, false);
    }

    /**
     * How long the warm-up waits for its last answers, so that none is still in flight (holding a
     * connection) at the run's time 0.
     */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(5);

    /**
     * Makes the calls and waits for their answers, at most {@link #within} plus {@link
     * #ANSWER_WAIT}.
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
            OpenModelExecutor executor =
                    new OpenModelExecutor(
                            new ConstantArrivalRate(calls / (within.toNanos() / 1e9), within),
                            maxInFlight,
                            target,
                            plan.chooser(),
                            events,
                            stats,
                            nanoClock,
                            waiter);
            OpenModelExecutor.Result result = executor.run(() -> false, progress -> {});
            awaitAnswers(executor);
            return result.started();
        } finally {
            if (target != driver) {
                target.close();
            }
        }
    }

    private void awaitAnswers(OpenModelExecutor executor) {
        try {
            executor.counters().awaitIdle(ANSWER_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
