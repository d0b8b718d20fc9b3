package io.loadstream.producers.generate;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one synthetic generator does.
 *
 * @param runId test run the requests belong to; many generators may share it
 * @param scenario scenario name
 * @param generatorId this generator, unique within the run
 * @param endpoints the endpoints, called in turn
 * @param rate requests per second, all endpoints together
 * @param duration how long to generate load
 * @param seed seed of the synthetic responses
 */
public record GeneratorSettings(
        String runId,
        String scenario,
        String generatorId,
        List<LatencyProfile> endpoints,
        double rate,
        Duration duration,
        long seed) {

    public GeneratorSettings {
        requireNotBlank(runId, "run id");
        requireNotBlank(scenario, "scenario");
        requireNotBlank(generatorId, "generator id");
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is needed");
        }
        endpoints = List.copyOf(endpoints);
        Set<String> names = new HashSet<>();
        for (LatencyProfile endpoint : endpoints) {
            if (!names.add(endpoint.endpoint())) {
                throw new IllegalArgumentException(
                        "endpoint '" + endpoint.endpoint() + "' is given twice");
            }
        }
        if (!(rate > 0 && rate <= ConstantArrivalSchedule.MAX_RATE)) {
            throw new IllegalArgumentException(
                    "rate must be above 0 and at most "
                            + (long) ConstantArrivalSchedule.MAX_RATE
                            + " requests/s, not "
                            + rate);
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, not " + duration);
        }
    }

    private static void requireNotBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
