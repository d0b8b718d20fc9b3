package io.loadstream.producers.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.schemas.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a scenario starts its requests over time. Each {@link ExecutorType} takes its own fields
 * ({@link ExecutorType#fields()}); giving one it does not take is an error, so that a {@code rate}
 * left in a closed-model scenario does not silently do nothing. Fields a type does not take are
 * null.
 *
 * <pre>{@code
 * executor:
 *   type: ramping-arrival-rate
 *   startRate: 50
 *   stages:
 *     - {duration: 2s, target: 500}
 *     - {duration: 10s, target: 500}
 * }</pre>
 *
 * @param type which executor
 * @param rate constant-arrival-rate: requests per second, all endpoints together
 * @param startRate ramping-arrival-rate: requests per second at the start (default 0)
 * @param duration constant-arrival-rate and constant-vus: how long the load lasts
 * @param stages ramping executors: the levels to ramp to, in order; empty for the others
 * @param maxInFlight arrival-rate executors: requests awaiting a response beyond which new ones are
 *     dropped (and counted) rather than started (default 1000)
 * @param vus constant-vus: the number of virtual users
 * @param pacing VU executors, optional: a virtual user starts a request every {@code pacing};
 *     latency is measured from these intended starts, so a slow response is not hidden by the wait
 * @param connections max-throughput: requests kept in flight, each sent as soon as the one before
 *     it on its connection is answered (wrk's {@code -c})
 */
public record ExecutorSpec(
        ExecutorType type,
        Double rate,
        Double startRate,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration duration,
        List<Stage> stages,
        Integer maxInFlight,
        Integer vus,
        @JsonDeserialize(using = Durations.Deserializer.class) Duration pacing,
        Integer connections) {

    /** Concurrency bound of the arrival-rate executors when the file gives none. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1000;

    public ExecutorSpec {
        FieldChecks.required(type, "type");
        rejectUnused(
                type, rate, startRate, duration, stages, maxInFlight, vus, pacing, connections);
        if (type == ExecutorType.CONSTANT_ARRIVAL_RATE) {
            FieldChecks.positive(FieldChecks.required(rate, "rate"), "rate");
        } else if (type == ExecutorType.RAMPING_ARRIVAL_RATE) {
            startRate = startRate == null ? 0.0 : FieldChecks.notNegative(startRate, "startRate");
        } else if (type == ExecutorType.CONSTANT_VUS) {
            FieldChecks.positive(FieldChecks.required(vus, "vus"), "vus");
        } else if (type == ExecutorType.MAX_THROUGHPUT) {
            FieldChecks.positive(FieldChecks.required(connections, "connections"), "connections");
        }
        if (type.ramping()) {
            stages = checkStages(type, startRate, stages);
        } else {
            FieldChecks.positive(FieldChecks.required(duration, "duration"), "duration");
            stages = List.of();
        }
        if (type.openModel()) {
            maxInFlight = maxInFlight == null ? DEFAULT_MAX_IN_FLIGHT : maxInFlight;
            FieldChecks.positive(maxInFlight, "maxInFlight");
        }
        FieldChecks.positive(pacing, "pacing");
    }

    /** A spec of the executors that existed before {@code max-throughput}: no connections. */
    public ExecutorSpec(
            ExecutorType type,
            Double rate,
            Double startRate,
            Duration duration,
            List<Stage> stages,
            Integer maxInFlight,
            Integer vus,
            Duration pacing) {
        this(type, rate, startRate, duration, stages, maxInFlight, vus, pacing, null);
    }

    /**
     * A max-throughput executor: {@code connections} closed loops for {@code duration}.
     *
     * @throws InvalidFieldException naming {@code connections} or {@code duration} when it is not
     *     positive
     */
    public static ExecutorSpec maxThroughput(int connections, Duration duration) {
        return new ExecutorSpec(
                ExecutorType.MAX_THROUGHPUT,
                null,
                null,
                duration,
                null,
                null,
                null,
                null,
                connections);
    }

    /**
     * A constant arrival rate with the default max in flight.
     *
     * @throws InvalidFieldException naming {@code rate} or {@code duration} when it is not positive
     */
    public static ExecutorSpec constantArrivalRate(double rate, Duration duration) {
        return new ExecutorSpec(
                ExecutorType.CONSTANT_ARRIVAL_RATE, rate, null, duration, null, null, null, null);
    }

    /** How long the executor runs: its duration, or the stages' durations added up. */
    public Duration totalDuration() {
        return type.ramping()
                ? stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus)
                : duration;
    }

    /**
     * Checks that a warm-up of {@code warmup} can precede this schedule: it must not be negative,
     * and the schedule must start above 0, since the warm-up holds its starting level.
     *
     * @param field the field named in the error, for example {@code warmup}
     * @return {@code warmup}
     * @throws InvalidFieldException naming {@code field} when it cannot
     */
    public Duration checkWarmup(Duration warmup, String field) {
        if (warmup.isNegative()) {
            throw new InvalidFieldException(field, "must be 0 or more, not " + warmup);
        }
        if (!warmup.isZero() && startLevel() == 0) {
            throw new InvalidFieldException(
                    field,
                    type
                            + " starts at 0 "
                            + (type.openModel() ? "req/s" : "VUs")
                            + " and a warm-up holds the starting level, so it would send nothing"
                            + (type == ExecutorType.RAMPING_ARRIVAL_RATE
                                    ? ": give the executor a startRate above 0"
                                    : ": use a constant-vus executor, or a first stage instead"));
        }
        return warmup;
    }

    /**
     * This schedule preceded by a warm-up of {@code warmup} at its starting level: the constant
     * executors run {@code warmup} longer, a ramping-arrival-rate one gets a first stage holding
     * its startRate for {@code warmup}. So the warm-up sends what the run would send at its start,
     * as OpenMessaging Benchmark's warm-up does, and the schedule proper starts {@code warmup}
     * later.
     *
     * @throws InvalidFieldException naming {@code warmup} when it cannot precede this schedule
     */
    public ExecutorSpec withWarmup(Duration warmup) {
        if (checkWarmup(warmup, "warmup").isZero()) {
            return this;
        }
        return switch (type) {
            case CONSTANT_ARRIVAL_RATE, CONSTANT_VUS, MAX_THROUGHPUT ->
                    new ExecutorSpec(
                            type,
                            rate,
                            startRate,
                            duration.plus(warmup),
                            null,
                            maxInFlight,
                            vus,
                            pacing,
                            connections);
            case RAMPING_ARRIVAL_RATE -> {
                List<Stage> withWarmup = new ArrayList<>();
                withWarmup.add(new Stage(warmup, startRate));
                withWarmup.addAll(stages);
                yield new ExecutorSpec(
                        type,
                        rate,
                        startRate,
                        duration,
                        withWarmup,
                        maxInFlight,
                        vus,
                        pacing,
                        connections);
            }
            case RAMPING_VUS -> throw new IllegalStateException("checked above");
        };
    }

    /** The level the schedule starts at: requests per second or virtual users. */
    private double startLevel() {
        return switch (type) {
            case CONSTANT_ARRIVAL_RATE -> rate;
            case CONSTANT_VUS -> vus;
            case MAX_THROUGHPUT -> connections;
            case RAMPING_ARRIVAL_RATE, RAMPING_VUS -> start();
        };
    }

    /** The highest level reached: requests per second, virtual users or connections. */
    public double peak() {
        return switch (type) {
            case CONSTANT_ARRIVAL_RATE -> rate;
            case CONSTANT_VUS -> vus;
            case MAX_THROUGHPUT -> connections;
            case RAMPING_ARRIVAL_RATE, RAMPING_VUS -> Math.max(start(), maxTarget(stages));
        };
    }

    /**
     * One line for listings: {@code constant-arrival-rate 200 req/s for 2m}, {@code
     * ramping-arrival-rate 0→2000 req/s over 5m}, {@code constant-vus 50 VUs for 4h, pacing 1s}.
     */
    public String summary() {
        String unit =
                type.openModel()
                        ? " req/s"
                        : type == ExecutorType.MAX_THROUGHPUT ? " connections" : " VUs";
        String level =
                type.ramping()
                        ? DisplayText.number(start()) + "→" + DisplayText.number(peak())
                        : DisplayText.number(peak());
        String time = (type.ramping() ? " over " : " for ") + DisplayText.duration(totalDuration());
        return type
                + " "
                + level
                + unit
                + time
                + (pacing == null ? "" : ", pacing " + DisplayText.duration(pacing));
    }

    private double start() {
        return type == ExecutorType.RAMPING_ARRIVAL_RATE ? startRate : 0;
    }

    private static List<Stage> checkStages(
            ExecutorType type, Double startRate, List<Stage> stages) {
        if (stages == null || stages.isEmpty()) {
            throw new InvalidFieldException("stages", type + " needs at least one stage");
        }
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = FieldChecks.required(stages.get(i), "stages[" + i + "]");
            if (type == ExecutorType.RAMPING_VUS && stage.target() % 1 != 0) {
                throw new InvalidFieldException(
                        "stages[" + i + "].target",
                        "must be a whole number of virtual users, not "
                                + DisplayText.number(stage.target()));
            }
        }
        if (stages.stream().allMatch(stage -> stage.duration().isZero())) {
            throw new InvalidFieldException("stages", "every stage lasts 0s, so nothing would run");
        }
        double start = startRate == null ? 0 : startRate;
        if (start == 0 && maxTarget(stages) == 0) {
            throw new InvalidFieldException("stages", "every target is 0, so nothing would run");
        }
        return List.copyOf(stages);
    }

    private static double maxTarget(List<Stage> stages) {
        return stages.stream().mapToDouble(Stage::target).max().orElse(0);
    }

    private static void rejectUnused(
            ExecutorType type,
            Double rate,
            Double startRate,
            Duration duration,
            List<Stage> stages,
            Integer maxInFlight,
            Integer vus,
            Duration pacing,
            Integer connections) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("rate", rate);
        given.put("startRate", startRate);
        given.put("duration", duration);
        given.put("stages", stages);
        given.put("maxInFlight", maxInFlight);
        given.put("vus", vus);
        given.put("pacing", pacing);
        given.put("connections", connections);
        given.forEach(
                (field, value) -> {
                    if (value != null && !type.fields().contains(field)) {
                        throw new InvalidFieldException(
                                field,
                                "is not used by "
                                        + type
                                        + ", which takes "
                                        + String.join(", ", type.fields()));
                    }
                });
    }
}
