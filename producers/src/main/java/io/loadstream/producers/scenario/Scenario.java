package io.loadstream.producers.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.producers.target.FaultSpec;
import io.loadstream.schemas.config.Durations;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A load test as written in a scenario file: what to call ({@code endpoints}), how hard and for how
 * long ({@code executor}), and what counts as passing ({@code thresholds}). Read one with {@link
 * ScenarioLoader}; the {@code scenarios/} folder holds a worked example of each type.
 *
 * <pre>{@code
 * name: load-steady
 * description: Expected production traffic for two minutes.
 * type: load
 * severity: medium
 * tags: [baseline]
 * endpoints:
 *   - {name: home, url: "${target}/home", weight: 3}
 *   - {name: search, url: "${target}/search", weight: 2}
 * warmup: 10s
 * executor: {type: constant-arrival-rate, rate: 200, duration: 2m}
 * thresholds: {p99: 500ms, errorRate: 1%}
 * }</pre>
 *
 * @param name what results are filed under: letters, digits, '.', '_' and '-'
 * @param description what the scenario is for, in a sentence or two (default empty)
 * @param type what the scenario tests for
 * @param severity how hard it hits the target (default medium)
 * @param tags free labels to select scenarios by (default none)
 * @param endpoints the requests to make, at least one, with unique names
 * @param executor how requests are started over time
 * @param thresholds the pass marks of a run, or null for none; see {@link #rules}
 * @param faults faults loadstream's demo target injects while the scenario runs (default none)
 * @param stopWhen when to stop early and report the breaking point, or null to run to the end
 * @param warmup how long the run warms up before the executor's schedule starts (default none):
 *     requests are sent at the schedule's starting level and published marked as warm-up, and
 *     analyze counts them apart from every result; see {@link ExecutorSpec#withWarmup}
 */
public record Scenario(
        String name,
        String description,
        ScenarioType type,
        ScenarioSeverity severity,
        List<String> tags,
        List<EndpointTemplate> endpoints,
        ExecutorSpec executor,
        Thresholds thresholds,
        List<FaultSpec> faults,
        StopCondition stopWhen,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration warmup) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public Scenario {
        name = FieldChecks.requiredText(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidFieldException(
                    "name", "'" + name + "' may hold only letters, digits, '.', '_' and '-'");
        }
        description = description == null ? "" : description.strip();
        FieldChecks.required(type, "type");
        severity = severity == null ? ScenarioSeverity.MEDIUM : severity;
        tags = tags == null ? List.of() : tags;
        for (int i = 0; i < tags.size(); i++) {
            FieldChecks.requiredText(tags.get(i), "tags[" + i + "]");
        }
        tags = List.copyOf(tags);
        endpoints = checkEndpoints(endpoints);
        FieldChecks.required(executor, "executor");
        faults = faults == null ? List.of() : List.copyOf(faults);
        warmup = warmup == null ? Duration.ZERO : executor.checkWarmup(warmup, "warmup");
    }

    /**
     * The scenario's thresholds as threshold rules, none when it has no thresholds; see {@link
     * Thresholds#rules}.
     *
     * @param source where the scenario comes from, for example {@code scenario
     *     scenarios/load-steady.yaml}
     */
    public List<ThresholdRule> rules(String source) {
        if (thresholds == null) {
            return List.of();
        }
        double total = endpoints.stream().mapToDouble(EndpointTemplate::weight).sum();
        Map<String, Double> shares = new LinkedHashMap<>();
        endpoints.forEach(endpoint -> shares.put(endpoint.name(), endpoint.weight() / total));
        return thresholds.rules(name, shares, source);
    }

    private static List<EndpointTemplate> checkEndpoints(List<EndpointTemplate> endpoints) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new InvalidFieldException("endpoints", "at least one endpoint is required");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < endpoints.size(); i++) {
            EndpointTemplate endpoint =
                    FieldChecks.required(endpoints.get(i), "endpoints[" + i + "]");
            if (!names.add(endpoint.name())) {
                throw new InvalidFieldException(
                        "endpoints[" + i + "].name",
                        "'" + endpoint.name() + "' is the name of an earlier endpoint too");
            }
        }
        return List.copyOf(endpoints);
    }
}
