package io.loadstream.producers.metrics;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.execute.TimingSink;
import io.loadstream.schemas.histogram.Histograms;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Watches the timing events a generator makes on their way to Kafka: counts by outcome and a
 * rolling latency histogram of the last few seconds for the live view, the same figures as
 * Micrometer meters for Prometheus. Latency is corrected for coordinated omission (from the
 * intended send time); DROPPED requests are counted but have none.
 *
 * <p>An event costs a few additions and one HdrHistogram record: the meters read these counts
 * ({@code loadstream_generator_requests_total}, the count and sum of {@code
 * loadstream_generator_latency_seconds}) and the percentiles of the rolling histogram as of the
 * last {@link #roll()} ({@code loadstream_generator_latency_recent_seconds{quantile=...}}), rather
 * than keep meters of their own per event, which at 200,000 events/s was a tenth of the schedule's
 * thread.
 *
 * <pre>{@code
 * GeneratorStats stats = new GeneratorStats(publisher, registry, 5);
 * executor.run(stats, ...);          // events pass through to the publisher
 * stats.roll();                      // once a second
 * stats.recent().getValueAtPercentile(99);
 * }</pre>
 */
public final class GeneratorStats implements TimingSink {

    /** The quantiles of recent latency that the meters show. */
    static final double[] RECENT_QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private final TimingSink next;
    private final Recorder recorder =
            new Recorder(Histograms.HIGHEST_TRACKABLE_US, Histograms.SIGNIFICANT_DIGITS);
    private final Deque<Histogram> lastSeconds = new ArrayDeque<>();
    private final Deque<long[]> lastCounts = new ArrayDeque<>();
    private final LongAdder intervalRequests = new LongAdder();
    private final LongAdder intervalErrors = new LongAdder();
    private final int rollingSeconds;
    private final Map<Outcome, LongAdder> byOutcome = new EnumMap<>(Outcome.class);
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencyTotalUs = new LongAdder();
    private final double[] recentQuantilesUs = new double[RECENT_QUANTILES.length];
    private Histogram recycled;

    /**
     * @param next where events go on to, usually the publisher
     * @param registry where the meters are registered
     * @param rollingSeconds how many one-second intervals {@link #recent()} covers
     */
    public GeneratorStats(TimingSink next, MeterRegistry registry, int rollingSeconds) {
        this.next = next;
        this.rollingSeconds = rollingSeconds;
        Arrays.fill(recentQuantilesUs, Double.NaN);
        for (Outcome outcome : Outcome.values()) {
            byOutcome.put(outcome, new LongAdder());
            // read from the count kept here, so that an event costs one increment, not two
            FunctionCounter.builder(
                            "loadstream.generator.requests",
                            byOutcome.get(outcome),
                            LongAdder::doubleValue)
                    .description("Requests made (or dropped) by the generator, by outcome")
                    .tag("outcome", outcome.name())
                    .register(registry);
        }
        FunctionTimer.builder(
                        "loadstream.generator.latency",
                        this,
                        stats -> stats.latencyCount.sum(),
                        stats -> stats.latencyTotalUs.sum(),
                        TimeUnit.MICROSECONDS)
                .description("Request latency from the intended send time")
                .register(registry);
        for (int i = 0; i < RECENT_QUANTILES.length; i++) {
            int quantile = i;
            Gauge.builder(
                            "loadstream.generator.latency.recent",
                            this,
                            stats -> stats.recentQuantileSeconds(quantile))
                    .description(
                            "Request latency from the intended send time over the last "
                                    + rollingSeconds
                                    + " s, as of the last whole second")
                    .baseUnit("seconds")
                    .tag("quantile", Double.toString(RECENT_QUANTILES[i]))
                    .register(registry);
        }
    }

    @Override
    public void publish(RequestTiming timing) {
        Outcome outcome = timing.getOutcome();
        byOutcome.get(outcome).increment();
        if (outcome != Outcome.DROPPED) {
            intervalRequests.increment();
            if (outcome != Outcome.SUCCESS) {
                intervalErrors.increment();
            }
            long corrected =
                    timing.getActualSendTimeUs()
                            - timing.getIntendedSendTimeUs()
                            + timing.getLatencyUs();
            recorder.recordValue(Histograms.clamp(corrected));
            latencyCount.increment();
            latencyTotalUs.add(corrected);
        }
        next.publish(timing);
    }

    /** Closes the current one-second interval; call once a second. */
    public synchronized void roll() {
        Histogram interval = recorder.getIntervalHistogram(recycled);
        lastSeconds.addLast(interval);
        recycled = lastSeconds.size() > rollingSeconds ? lastSeconds.removeFirst() : null;
        lastCounts.addLast(
                new long[] {intervalRequests.sumThenReset(), intervalErrors.sumThenReset()});
        if (lastCounts.size() > rollingSeconds) {
            lastCounts.removeFirst();
        }
        Histogram recent = recent();
        for (int i = 0; i < RECENT_QUANTILES.length; i++) {
            recentQuantilesUs[i] =
                    recent.getTotalCount() == 0
                            ? Double.NaN
                            : recent.getValueAtPercentile(100 * RECENT_QUANTILES[i]);
        }
    }

    private synchronized double recentQuantileSeconds(int quantile) {
        return recentQuantilesUs[quantile] / 1e6;
    }

    /** Requests answered in the last closed one-second interval. */
    public synchronized long lastSecondRequests() {
        return lastCounts.isEmpty() ? 0 : lastCounts.getLast()[0];
    }

    /** Share of answered requests that failed over the last {@code rollingSeconds} intervals. */
    public synchronized double recentErrorRate() {
        long requests = 0;
        long errors = 0;
        for (long[] counts : lastCounts) {
            requests += counts[0];
            errors += counts[1];
        }
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** Latency of the last {@code rollingSeconds} closed intervals, merged. */
    public synchronized Histogram recent() {
        Histogram merged = Histograms.create();
        lastSeconds.forEach(merged::add);
        return merged;
    }

    /** Requests with this outcome so far. */
    public long count(Outcome outcome) {
        return byOutcome.get(outcome).sum();
    }

    /** Requests so far by outcome, every outcome present, in the outcomes' order. */
    public Map<Outcome, Long> outcomes() {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        byOutcome.forEach((outcome, count) -> counts.put(outcome, count.sum()));
        return counts;
    }

    /** Requests whose outcome is neither SUCCESS nor DROPPED. */
    public long errors() {
        long errors = 0;
        for (Map.Entry<Outcome, LongAdder> entry : byOutcome.entrySet()) {
            if (entry.getKey() != Outcome.SUCCESS && entry.getKey() != Outcome.DROPPED) {
                errors += entry.getValue().sum();
            }
        }
        return errors;
    }
}
