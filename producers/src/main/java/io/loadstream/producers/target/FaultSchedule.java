package io.loadstream.producers.target;

import io.loadstream.producers.target.FaultSpec.FaultType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which faults are in effect for an endpoint at a moment of the schedule, and what they add up to.
 * Times are milliseconds since the schedule's origin; a fault is in effect from its start
 * (inclusive) to its end (exclusive).
 *
 * <pre>{@code
 * FaultSchedule schedule = new FaultSchedule(config.faults(), config.endpointNames());
 * FaultEffects now = schedule.effectsAt("search", 21_000); // 1 s into a latency spike
 * now.latencyFactor(); // 8.0
 * }</pre>
 *
 * <p>A latency spike, error burst or hang ends after its duration. A regression ends after its
 * duration if it has one, and at the first recovery after its start that applies to the endpoint: a
 * recovery without endpoint ends every regression, one with an endpoint ends regressions only
 * there. A recovery ends nothing that starts at or after it. Overlapping faults add up: latency
 * factors multiply, error bursts fail a request if any of them does, and a request caught by a hang
 * is held until no hang is in effect.
 *
 * <p>Immutable and thread-safe.
 */
public final class FaultSchedule {

    /**
     * One fault as it applies to one endpoint.
     *
     * @param fault the fault
     * @param startMillis when it starts, inclusive
     * @param endMillis when it ends, exclusive; {@link Long#MAX_VALUE} if never
     */
    public record Window(FaultSpec fault, long startMillis, long endMillis) {
        /** Whether the fault is in effect at {@code millis}. */
        public boolean contains(long millis) {
            return millis >= startMillis && millis < endMillis;
        }
    }

    private final Map<String, List<Window>> windowsByEndpoint = new HashMap<>();

    /**
     * @param faults the faults, which must be {@linkplain FaultSpec#validate() valid}
     * @param endpoints the names of the endpoints
     * @throws IllegalArgumentException when a fault names an endpoint not in {@code endpoints}
     */
    public FaultSchedule(List<FaultSpec> faults, Collection<String> endpoints) {
        for (FaultSpec fault : faults) {
            if (fault.endpoint() != null && !endpoints.contains(fault.endpoint())) {
                throw new IllegalArgumentException(
                        "fault '" + fault.describe() + "' names an unknown endpoint");
            }
        }
        for (String endpoint : endpoints) {
            windowsByEndpoint.put(endpoint, windowsFor(endpoint, faults));
        }
    }

    /** The faults that apply to {@code endpoint}, in order of start, with their actual ends. */
    public List<Window> windows(String endpoint) {
        List<Window> windows = windowsByEndpoint.get(endpoint);
        if (windows == null) {
            throw new IllegalArgumentException("no endpoint '" + endpoint + "' in the schedule");
        }
        return windows;
    }

    /**
     * What the faults in effect at {@code millisSinceOrigin} do to a request to {@code endpoint}.
     */
    public FaultEffects effectsAt(String endpoint, long millisSinceOrigin) {
        List<Window> windows = windows(endpoint);
        double factor = 1;
        double failShare = 0;
        int failStatus = 0;
        long holdUntil = FaultEffects.NO_HOLD;
        boolean any = false;
        for (Window window : windows) {
            if (!window.contains(millisSinceOrigin)) {
                continue;
            }
            any = true;
            FaultSpec fault = window.fault();
            switch (fault.type()) {
                case LATENCY_SPIKE -> factor *= fault.factor();
                case REGRESSION -> factor *= 1 + fault.percent() / 100;
                case ERROR_BURST -> {
                    failShare = 1 - (1 - failShare) * (1 - fault.percent() / 100);
                    failStatus = failStatus == 0 ? fault.burstStatus() : failStatus;
                }
                case HANG -> holdUntil = Math.max(holdUntil, window.endMillis());
                case RECOVERY -> {}
            }
        }
        if (!any) {
            return FaultEffects.NONE;
        }
        return new FaultEffects(factor, failShare, failStatus, extendHold(windows, holdUntil));
    }

    /** A request released when one hang ends may fall into the next: hold it through that too. */
    private static long extendHold(List<Window> windows, long holdUntil) {
        if (holdUntil == FaultEffects.NO_HOLD) {
            return holdUntil;
        }
        // windows are in order of start, so one pass finds every hang that follows on
        for (Window window : windows) {
            if (window.fault().type() == FaultType.HANG && window.contains(holdUntil)) {
                holdUntil = window.endMillis();
            }
        }
        return holdUntil;
    }

    private static List<Window> windowsFor(String endpoint, List<FaultSpec> faults) {
        List<Window> windows = new ArrayList<>();
        for (FaultSpec fault : faults) {
            if (fault.type() == FaultType.RECOVERY || !fault.appliesTo(endpoint)) {
                continue;
            }
            long start = fault.start().toMillis();
            long end =
                    fault.duration() == null ? Long.MAX_VALUE : start + fault.duration().toMillis();
            if (fault.type() == FaultType.REGRESSION) {
                end = Math.min(end, firstRecoveryAfter(start, endpoint, faults));
            }
            windows.add(new Window(fault, start, end));
        }
        windows.sort(Comparator.comparingLong(Window::startMillis));
        return List.copyOf(windows);
    }

    private static long firstRecoveryAfter(long start, String endpoint, List<FaultSpec> faults) {
        long first = Long.MAX_VALUE;
        for (FaultSpec fault : faults) {
            long at = fault.start().toMillis();
            if (fault.type() == FaultType.RECOVERY && fault.appliesTo(endpoint) && at > start) {
                first = Math.min(first, at);
            }
        }
        return first;
    }
}
