package io.loadstream.producers.execute;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the timing events of one run: the labels every event carries and the wall-clock time that
 * stands for the run's start, from which intended and actual send times are counted.
 *
 * <p>Executors measure time as nanosecond offsets from their start on a monotonic clock; an event
 * carries {@code startEpochMicros + offsetNanos / 1000} (whole microseconds, rounded down) for both
 * send times, and the driver's latency in whole microseconds, rounded down.
 *
 * <p>A run with a warm-up ({@link #withWarmup}) marks the events of the requests whose intended
 * send time falls within the warm-up: {@code RequestTiming.warmup} is set, and analyze counts them
 * apart from every result.
 */
public final class TimingEvents {

    private final String runId;
    private final String scenario;
    private final String generatorId;
    private final List<String> endpoints;
    private final Map<String, String> tags;
    private final long startEpochMicros;

    /** Requests intended before this offset from the start belong to the warm-up. */
    private long warmupNanos;

    /**
     * @param runId test run the requests belong to
     * @param scenario scenario name
     * @param generatorId this generator, unique within the run
     * @param endpoints endpoint names, by the index the driver knows them by
     * @param tags free-form tags put on every event
     * @param startEpochMicros microseconds since the epoch that stand for the executor's start
     */
    public TimingEvents(
            String runId,
            String scenario,
            String generatorId,
            List<String> endpoints,
            Map<String, String> tags,
            long startEpochMicros) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.generatorId = Objects.requireNonNull(generatorId, "generatorId");
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint name is needed");
        }
        this.endpoints = List.copyOf(endpoints);
        this.tags = Map.copyOf(tags);
        this.startEpochMicros = startEpochMicros;
    }

    /** The endpoint names, by index. */
    public List<String> endpoints() {
        return endpoints;
    }

    /**
     * Checks that {@code chooser} picks among as many endpoints as these events name.
     *
     * @throws IllegalArgumentException when the counts differ
     */
    void requireSameEndpoints(EndpointChooser chooser) {
        if (chooser.endpoints() != endpoints.size()) {
            throw new IllegalArgumentException(
                    "the chooser picks among "
                            + chooser.endpoints()
                            + " endpoints but there are "
                            + endpoints.size()
                            + " names");
        }
    }

    /**
     * The same events, marked as warm-up for the requests intended within {@code warmup} of the
     * start.
     */
    public TimingEvents withWarmup(Duration warmup) {
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("the warm-up must not be negative, not " + warmup);
        }
        TimingEvents marked =
                new TimingEvents(runId, scenario, generatorId, endpoints, tags, startEpochMicros);
        marked.warmupNanos = warmup.toNanos();
        return marked;
    }

    /** Whether a request intended at {@code intendedOffsetNanos} belongs to the warm-up. */
    public boolean isWarmup(long intendedOffsetNanos) {
        return intendedOffsetNanos < warmupNanos;
    }

    /** Microseconds since the epoch that stand for the executor's start. */
    public long startEpochMicros() {
        return startEpochMicros;
    }

    /** {@code instant} in whole microseconds since the epoch, rounded down. */
    public static long epochMicros(Instant instant) {
        return Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                instant.getNano() / 1_000);
    }

    /** The event of a request that a driver made and answered with {@code response}. */
    RequestTiming completed(
            int endpoint,
            long intendedOffsetNanos,
            long actualOffsetNanos,
            DriverResponse response) {
        RequestTiming timing = labelled(endpoint, intendedOffsetNanos, actualOffsetNanos);
        timing.setLatencyUs(Math.max(0, response.latencyNanos()) / 1_000);
        timing.setOutcome(response.outcome());
        timing.setStatusCode(response.statusCode());
        timing.setBytesSent(response.bytesSent());
        timing.setBytesReceived(response.bytesReceived());
        timing.setError(response.error());
        return timing;
    }

    /** The event of a request that was due but not made, for {@code reason}. */
    RequestTiming dropped(
            int endpoint, long intendedOffsetNanos, long actualOffsetNanos, String reason) {
        RequestTiming timing = labelled(endpoint, intendedOffsetNanos, actualOffsetNanos);
        timing.setLatencyUs(0L);
        timing.setOutcome(Outcome.DROPPED);
        timing.setStatusCode(0);
        timing.setBytesSent(0L);
        timing.setBytesReceived(0L);
        timing.setError(reason);
        return timing;
    }

    /**
     * An event with its labels and send times; the caller sets every other field. Built with
     * setters, not Avro's builder, which validates and copies each field and was a tenth of the
     * generator's CPU at 200,000 events/s.
     */
    private RequestTiming labelled(int endpoint, long intendedOffsetNanos, long actualOffsetNanos) {
        RequestTiming timing = new RequestTiming();
        timing.setRunId(runId);
        timing.setScenario(scenario);
        timing.setEndpoint(endpoints.get(endpoint));
        timing.setGeneratorId(generatorId);
        timing.setIntendedSendTimeUs(startEpochMicros + intendedOffsetNanos / 1_000);
        timing.setActualSendTimeUs(startEpochMicros + actualOffsetNanos / 1_000);
        timing.setTags(tags);
        timing.setWarmup(isWarmup(intendedOffsetNanos));
        return timing;
    }
}
