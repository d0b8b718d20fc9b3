package io.loadstream.producers.publish;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.schemas.histogram.LatencyAggregate;
import java.util.List;
import java.util.Map;

/**
 * What a generator's end markers say: which series of the run it ran and how many generators share
 * the run. A publisher's {@link Publisher#finish} publishes one marker per series after the
 * generator's last event (so on every partition the generator wrote to, and for every endpoint of
 * its plan, whether or not a request went there) and waits for Kafka to acknowledge them; the
 * analytics then close the generator's part of the run at once, and the whole run when the last of
 * its {@code generators} has ended.
 *
 * @param runId the run
 * @param scenario the scenario the generator ran
 * @param endpoints every endpoint of the generator's plan
 * @param generatorId this generator
 * @param generators how many generators share the run (its {@code --instances})
 */
public record RunEnd(
        String runId, String scenario, List<String> endpoints, String generatorId, int generators) {

    public RunEnd {
        endpoints = List.copyOf(endpoints);
        if (generators < 1) {
            throw new IllegalArgumentException("a run has at least 1 generator, not " + generators);
        }
    }

    /** The series to mark, one per endpoint. */
    public List<SeriesKey> series() {
        return endpoints.stream()
                .map(endpoint -> new SeriesKey(runId, scenario, endpoint, generatorId))
                .toList();
    }

    /** The raw-mode marker of {@code series}, at {@code nowUs} microseconds since the epoch. */
    RequestTiming timingMarker(SeriesKey series, long nowUs) {
        return RequestTiming.newBuilder()
                .setRunId(series.getRunId())
                .setScenario(series.getScenario())
                .setEndpoint(series.getEndpoint())
                .setGeneratorId(series.getGeneratorId())
                .setIntendedSendTimeUs(nowUs)
                .setActualSendTimeUs(nowUs)
                .setLatencyUs(0)
                .setOutcome(Outcome.SUCCESS)
                .setTags(Map.of())
                .setRunEnd(true)
                .setGenerators(generators)
                .build();
    }

    /**
     * The histogram-mode marker of {@code series}: an empty interval starting at {@code startUs}.
     */
    IntervalHistogram histogramMarker(SeriesKey series, long startUs, long intervalUs) {
        IntervalHistogram marker =
                LatencyAggregate.empty()
                        .toIntervalHistogram(
                                series.getRunId(),
                                series.getScenario(),
                                series.getEndpoint(),
                                series.getGeneratorId(),
                                startUs,
                                startUs + intervalUs);
        marker.setRunEnd(true);
        marker.setGenerators(generators);
        return marker;
    }
}
