package io.loadstream.producers.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a target service serves and what goes wrong with it when, as read from a target YAML file:
 *
 * <pre>{@code
 * endpoints:
 *   - {name: home, median: 5ms, p99: 25ms, errorRate: 0.1%}
 *   - {name: search, median: 30ms, p99: 200ms}
 * faults:
 *   - {type: latency-spike, endpoint: search, start: 20s, duration: 5s, factor: 8}
 *
 * TargetConfig config = TargetConfig.load(Path.of("targets/demo.yaml"));
 * }</pre>
 *
 * Mistakes are reported with the file, line and field they are in.
 *
 * @param endpoints the endpoints, at least one, with distinct names and paths
 * @param faults the fault schedule, possibly empty; each fault names one of the endpoints or none
 */
public record TargetConfig(List<TargetEndpoint> endpoints, List<FaultSpec> faults) {

    /** The path that answers 200 for health checks, which no endpoint may take. */
    public static final String HEALTH_PATH = "/health";

    /**
     * @throws IllegalArgumentException starting with the offending field, such as {@code
     *     faults[2].endpoint}
     */
    public TargetConfig {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new ElementProblem(null, "endpoints: a target needs at least one endpoint");
        }
        Set<String> names = new LinkedHashSet<>();
        Set<String> paths = new LinkedHashSet<>();
        for (int i = 0; i < endpoints.size(); i++) {
            TargetEndpoint endpoint = endpoints.get(i);
            String field = "endpoints[" + i + "]";
            if (endpoint == null) {
                throw new ElementProblem(null, field + ": empty endpoint");
            }
            if (!names.add(endpoint.name())) {
                throw new ElementProblem(
                        endpoint, field + ".name: '" + endpoint.name() + "' is given twice");
            }
            if (endpoint.path().equals(HEALTH_PATH) || !paths.add(endpoint.path())) {
                throw new ElementProblem(
                        endpoint,
                        field
                                + ".path: '"
                                + endpoint.path()
                                + "' is taken by another endpoint"
                                + (endpoint.path().equals(HEALTH_PATH) ? " (health)" : ""));
            }
        }
        faults = faults == null ? List.of() : faults;
        for (int i = 0; i < faults.size(); i++) {
            checkFault(faults.get(i), "faults[" + i + "]", names);
        }
        endpoints = List.copyOf(endpoints);
        faults = List.copyOf(faults);
    }

    /**
     * Reads a target file.
     *
     * @throws IllegalArgumentException naming the file, and the line and field when the content is
     *     wrong
     */
    public static TargetConfig load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("target file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read target file " + file + ": " + e, e);
        }
        return parse(yaml, file.toString());
    }

    /**
     * Reads target YAML.
     *
     * @param sourceName where the YAML comes from, for error messages (a file name)
     * @throws IllegalArgumentException naming the source, line and field of what is wrong
     */
    public static TargetConfig parse(String yaml, String sourceName) {
        return TargetConfigReader.read(yaml, sourceName);
    }

    /** The names of the endpoints, in order. */
    public List<String> endpointNames() {
        return endpoints.stream().map(TargetEndpoint::name).toList();
    }

    private static void checkFault(FaultSpec fault, String field, Set<String> names) {
        if (fault == null) {
            throw new ElementProblem(null, field + ": empty fault");
        }
        try {
            fault.validate();
        } catch (IllegalArgumentException e) {
            throw new ElementProblem(fault, field + ": " + e.getMessage());
        }
        if (fault.endpoint() != null && !names.contains(fault.endpoint())) {
            throw new ElementProblem(
                    fault,
                    field
                            + ".endpoint: '"
                            + fault.endpoint()
                            + "' is not an endpoint of this target ("
                            + String.join(", ", names)
                            + ")");
        }
    }

    /** A problem with one endpoint or fault, which the reader locates in the file. */
    static final class ElementProblem extends IllegalArgumentException {
        /** The endpoint or fault at fault, or null when the problem is with the whole list. */
        final transient Object element;

        ElementProblem(Object element, String message) {
            super(message);
            this.element = element;
        }
    }
}
