package io.loadstream.producers.scenario;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * How an executor starts requests, named as k6 names its executors. Arrival-rate executors are an
 * open model: requests start on schedule whatever the responses do. VU executors are a closed
 * model: each virtual user sends its next request when the previous one is answered (or at its
 * pacing interval). {@code max-throughput} is the closed model without users or pacing: as many
 * requests as the service answers, over a number of connections.
 */
public enum ExecutorType {
    /** A fixed number of requests per second for a duration. */
    CONSTANT_ARRIVAL_RATE("constant-arrival-rate", true, "rate", "duration", "maxInFlight"),
    /** A request rate that follows stages, ramping linearly from one target to the next. */
    RAMPING_ARRIVAL_RATE("ramping-arrival-rate", true, "startRate", "stages", "maxInFlight"),
    /** A fixed number of virtual users for a duration. */
    CONSTANT_VUS("constant-vus", false, "vus", "duration", "pacing"),
    /** A number of virtual users that follows stages, ramping linearly. */
    RAMPING_VUS("ramping-vus", false, "stages", "pacing"),
    /**
     * A closed loop at full speed, as wrk runs: a number of connections, each sending its next
     * request as soon as the previous one is answered, for a duration; finds a service's ceiling.
     */
    MAX_THROUGHPUT("max-throughput", false, "connections", "duration");

    private final String id;
    private final boolean openModel;
    private final List<String> fields;

    ExecutorType(String id, boolean openModel, String... fields) {
        this.id = id;
        this.openModel = openModel;
        this.fields = List.of(fields);
    }

    /** The name used in scenario files. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Whether requests start on a schedule (true) or when virtual users are free (false). */
    public boolean openModel() {
        return openModel;
    }

    /** The fields of {@link ExecutorSpec} besides {@code type} that this executor takes. */
    public List<String> fields() {
        return fields;
    }

    /** Whether the executor follows stages rather than a constant level for a duration. */
    public boolean ramping() {
        return this == RAMPING_ARRIVAL_RATE || this == RAMPING_VUS;
    }

    @Override
    public String toString() {
        return id;
    }
}
