package io.loadstream.bench.preload;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.producers.synthetic.SyntheticDriver;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The timing events of a finished run, made up: {@code generators} generators at a fixed combined
 * rate whose last request is due at {@code endUs}, taking turns, each request going to the first
 * (hot) endpoint with probability {@code hotShare} and to one of the others otherwise. Latencies,
 * errors and timeouts are drawn from the endpoints' log-normal {@link LatencyProfile}s by a {@link
 * SyntheticDriver}; each request starts up to 100 µs after it was due. The same seed gives the same
 * events.
 *
 * <pre>{@code
 * TimingMix mix = new TimingMix("run-1", "preload", 4, LatencyProfile.parseList("a,b,c"), 0.8,
 *         20_000, 1_000_000, nowMicros, 42);
 * while (mix.hasNext()) { RequestTiming timing = mix.next(); ... }
 * }</pre>
 */
public final class TimingMix {

    private final String runId;
    private final String scenario;
    private final int generators;
    private final List<String> endpoints;
    private final double hotShare;
    private final double intervalUs;
    private final long events;
    private final long startUs;
    private final SyntheticDriver driver;
    private final SplittableRandom random;
    private long made;

    /**
     * @param generators generators taking turns, named {@code gen-1} to {@code gen-<generators>}
     * @param profiles the endpoints; the first is the hot one
     * @param hotShare the hot endpoint's share of the requests, in [0, 1]
     * @param ratePerSecond requests per second of all generators together
     * @param events requests to make
     * @param endUs when the last request is due, microseconds since the epoch
     */
    public TimingMix(
            String runId,
            String scenario,
            int generators,
            List<LatencyProfile> profiles,
            double hotShare,
            double ratePerSecond,
            long events,
            long endUs,
            long seed) {
        if (generators < 1 || profiles.size() < 2 || events < 1 || !(ratePerSecond > 0)) {
            throw new IllegalArgumentException(
                    "need at least 1 generator, 2 endpoints, 1 event and a positive rate");
        }
        if (!(hotShare >= 0 && hotShare <= 1)) {
            throw new IllegalArgumentException("hot share must be in [0, 1], not " + hotShare);
        }
        this.runId = runId;
        this.scenario = scenario;
        this.generators = generators;
        this.endpoints = profiles.stream().map(LatencyProfile::endpoint).toList();
        this.hotShare = hotShare;
        this.intervalUs = 1_000_000 / ratePerSecond;
        this.events = events;
        this.startUs = endUs - Math.round((events - 1) * intervalUs);
        this.driver = new SyntheticDriver(profiles, seed);
        this.random = new SplittableRandom(seed + 1);
    }

    public boolean hasNext() {
        return made < events;
    }

    /** The next request, in the order they were due. */
    public RequestTiming next() {
        long i = made++;
        int endpoint =
                random.nextDouble() < hotShare ? 0 : 1 + random.nextInt(endpoints.size() - 1);
        long intendedUs = startUs + Math.round(i * intervalUs);
        SyntheticDriver.Response response = driver.call(endpoint);
        return RequestTiming.newBuilder()
                .setRunId(runId)
                .setScenario(scenario)
                .setEndpoint(endpoints.get(endpoint))
                .setGeneratorId("gen-" + (1 + i % generators))
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs + random.nextInt(100))
                .setLatencyUs(response.latencyUs())
                .setOutcome(response.outcome())
                .setStatusCode(response.statusCode())
                .setError(response.error())
                .setTags(Map.of())
                .build();
    }

    /** The key a generator publishes {@code timing} with. */
    public static SeriesKey keyOf(RequestTiming timing) {
        return new SeriesKey(
                timing.getRunId(),
                timing.getScenario(),
                timing.getEndpoint(),
                timing.getGeneratorId());
    }
}
