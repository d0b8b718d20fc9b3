package io.loadstream.schemas.histogram;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.WindowStats;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Requests, errors and latency of one endpoint over some span of time: a window, or a whole run. A
 * monoid: {@link #empty()} and {@link #merge} combine aggregates without loss, so percentiles of
 * merged aggregates equal the percentiles of one histogram over all the events.
 *
 * <p>Latencies are recorded in the pipeline's {@link Histograms} format. The main histogram holds
 * latency from the intended send time (corrected for coordinated omission); the uncorrected one
 * holds latency from the actual send time. DROPPED requests are counted but have no latency.
 *
 * <pre>{@code
 * LatencyAggregate window = LatencyAggregate.empty();
 * window.record(timing);
 * WindowStats stats = window.toStats(run, scenario, endpoint, 1000, startMs, endMs, false);
 * }</pre>
 */
public final class LatencyAggregate {

    private static final Outcome[] OUTCOMES = Outcome.values();

    private final Histogram corrected;
    private final Histogram uncorrected;
    private final long[] outcomeCounts;
    private long count;
    private long late;
    private long bytesSent;
    private long bytesReceived;
    private long firstIntendedUs = Long.MAX_VALUE;
    private long lastIntendedUs = Long.MIN_VALUE;

    private LatencyAggregate(Histogram corrected, Histogram uncorrected, long[] outcomeCounts) {
        this.corrected = corrected;
        this.uncorrected = uncorrected;
        this.outcomeCounts = outcomeCounts;
    }

    /** An aggregate of no requests. */
    public static LatencyAggregate empty() {
        return new LatencyAggregate(
                Histograms.create(), Histograms.create(), new long[OUTCOMES.length]);
    }

    /** Adds one request. */
    public void record(RequestTiming timing) {
        count++;
        outcomeCounts[timing.getOutcome().ordinal()]++;
        bytesSent += timing.getBytesSent();
        bytesReceived += timing.getBytesReceived();
        long intended = timing.getIntendedSendTimeUs();
        firstIntendedUs = Math.min(firstIntendedUs, intended);
        lastIntendedUs = Math.max(lastIntendedUs, intended);
        if (timing.getOutcome() != Outcome.DROPPED) {
            corrected.recordValue(Histograms.clamp(correctedLatencyUs(timing)));
            uncorrected.recordValue(Histograms.clamp(timing.getLatencyUs()));
        }
    }

    /** Counts one request that arrived after its window had closed. */
    public void recordLate() {
        late++;
    }

    /** Counts every request of this aggregate as late: it arrived after its window had closed. */
    public void markAllLate() {
        late = count;
    }

    /**
     * The aggregate a partial describes: what a generator in histogram mode or stage 1 of the
     * analytics published. Its histograms are decoded; the partial itself is not kept.
     */
    public static LatencyAggregate fromPartial(IntervalHistogram partial) {
        long[] outcomes = new long[OUTCOMES.length];
        partial.getOutcomeCounts()
                .forEach((name, count) -> outcomes[outcomeOf(name).ordinal()] += count);
        LatencyAggregate aggregate =
                new LatencyAggregate(
                        Histograms.decode(partial.getHistogram()),
                        Histograms.decode(partial.getUncorrectedHistogram()),
                        outcomes);
        aggregate.count = partial.getCount();
        aggregate.late = partial.getLate();
        aggregate.bytesSent = partial.getBytesSent();
        aggregate.bytesReceived = partial.getBytesReceived();
        if (aggregate.count > 0) {
            aggregate.firstIntendedUs =
                    partial.getFirstIntendedUs() > 0
                            ? partial.getFirstIntendedUs()
                            : partial.getIntervalStartUs();
            aggregate.lastIntendedUs =
                    partial.getLastIntendedUs() > 0
                            ? partial.getLastIntendedUs()
                            : partial.getIntervalEndUs() - 1;
        }
        return aggregate;
    }

    private static Outcome outcomeOf(CharSequence name) {
        for (Outcome outcome : OUTCOMES) {
            if (outcome.name().contentEquals(name)) {
                return outcome;
            }
        }
        return Outcome.OTHER;
    }

    /** Adds every request of {@code other} to this aggregate. */
    public void merge(LatencyAggregate other) {
        corrected.add(other.corrected);
        uncorrected.add(other.uncorrected);
        for (int i = 0; i < outcomeCounts.length; i++) {
            outcomeCounts[i] += other.outcomeCounts[i];
        }
        count += other.count;
        late += other.late;
        bytesSent += other.bytesSent;
        bytesReceived += other.bytesReceived;
        firstIntendedUs = Math.min(firstIntendedUs, other.firstIntendedUs);
        lastIntendedUs = Math.max(lastIntendedUs, other.lastIntendedUs);
    }

    /**
     * Latency measured from the intended send time: what a user would have seen had the request
     * left on schedule.
     */
    public static long correctedLatencyUs(RequestTiming timing) {
        long delay = Math.max(0, timing.getActualSendTimeUs() - timing.getIntendedSendTimeUs());
        return timing.getLatencyUs() + delay;
    }

    public long count() {
        return count;
    }

    public long late() {
        return late;
    }

    /** Requests whose outcome is not SUCCESS. */
    public long errors() {
        return count - outcomeCounts[Outcome.SUCCESS.ordinal()];
    }

    /** The corrected latency histogram; callers must not change it. */
    public Histogram histogram() {
        return corrected;
    }

    /**
     * The figures of this aggregate over a window of {@code resolutionMs} starting at {@code
     * startMs}, or over a run when {@code resolutionMs} is 0 (its span is then the time between its
     * first and last requests).
     */
    public WindowStats toStats(
            String runId,
            String scenario,
            String endpoint,
            long resolutionMs,
            long startMs,
            long endMs,
            boolean isFinal) {
        double seconds = resolutionMs > 0 ? resolutionMs / 1000.0 : runSpanSeconds();
        boolean any = corrected.getTotalCount() > 0;
        return WindowStats.newBuilder()
                .setRunId(runId)
                .setScenario(scenario)
                .setEndpoint(endpoint)
                .setResolutionMs(resolutionMs)
                .setWindowStartMs(startMs)
                .setWindowEndMs(endMs)
                .setCount(count)
                .setErrors(errors())
                .setOutcomeCounts(outcomeCountsByName())
                .setErrorRate(count == 0 ? 0 : (double) errors() / count)
                .setThroughput(seconds > 0 ? count / seconds : count)
                .setMeanUs(any ? corrected.getMean() : 0)
                .setMinUs(any ? corrected.getMinValue() : 0)
                .setP50Us(corrected.getValueAtPercentile(50))
                .setP90Us(corrected.getValueAtPercentile(90))
                .setP95Us(corrected.getValueAtPercentile(95))
                .setP99Us(corrected.getValueAtPercentile(99))
                .setP999Us(corrected.getValueAtPercentile(99.9))
                .setMaxUs(any ? corrected.getMaxValue() : 0)
                .setUncorrectedP99Us(uncorrected.getValueAtPercentile(99))
                .setLate(late)
                .setHistogram(Histograms.encode(corrected))
                .setFinal$(isFinal)
                .build();
    }

    /** First request's intended send time in milliseconds, or 0 if there is none. */
    public long firstIntendedMs() {
        return count == 0 ? 0 : firstIntendedUs / 1000;
    }

    /** Last request's intended send time in microseconds, or 0 if there is none. */
    public long lastIntendedUs() {
        return count == 0 ? 0 : lastIntendedUs;
    }

    /** Last request's intended send time in milliseconds, or 0 if there is none. */
    public long lastIntendedMs() {
        return count == 0 ? 0 : lastIntendedUs / 1000;
    }

    private double runSpanSeconds() {
        if (count < 2) {
            return 0;
        }
        // n requests spaced evenly over [first, last] cover n/(n-1) times that span
        return (lastIntendedUs - firstIntendedUs) / 1e6 * count / (count - 1);
    }

    private Map<String, Long> outcomeCountsByName() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Outcome outcome : OUTCOMES) {
            if (outcomeCounts[outcome.ordinal()] > 0) {
                counts.put(outcome.name(), outcomeCounts[outcome.ordinal()]);
            }
        }
        return counts;
    }

    /** This aggregate as a partial for the histograms topic. */
    public IntervalHistogram toIntervalHistogram(
            String runId,
            String scenario,
            String endpoint,
            String generatorId,
            long intervalStartUs,
            long intervalEndUs) {
        return IntervalHistogram.newBuilder()
                .setRunId(runId)
                .setScenario(scenario)
                .setEndpoint(endpoint)
                .setGeneratorId(generatorId)
                .setIntervalStartUs(intervalStartUs)
                .setIntervalEndUs(intervalEndUs)
                .setCount(count)
                .setOutcomeCounts(outcomeCountsByName())
                .setHistogram(Histograms.encode(corrected))
                .setUncorrectedHistogram(Histograms.encode(uncorrected))
                .setBytesSent(bytesSent)
                .setBytesReceived(bytesReceived)
                .setLate(late)
                .setFirstIntendedUs(count == 0 ? 0 : firstIntendedUs)
                .setLastIntendedUs(count == 0 ? 0 : lastIntendedUs)
                .build();
    }

    // --- compact binary state, for state stores ---

    /** Writes this aggregate; {@link #encodedSizeBound()} bytes are enough. */
    public void writeTo(ByteBuffer out) {
        out.putLong(count).putLong(late).putLong(bytesSent).putLong(bytesReceived);
        out.putLong(firstIntendedUs).putLong(lastIntendedUs);
        out.put((byte) outcomeCounts.length);
        for (long c : outcomeCounts) {
            out.putLong(c);
        }
        writeHistogram(corrected, out);
        writeHistogram(uncorrected, out);
    }

    /** An upper bound of what {@link #writeTo} writes. */
    public int encodedSizeBound() {
        return 6 * Long.BYTES
                + 1
                + outcomeCounts.length * Long.BYTES
                + 2 * Integer.BYTES
                + Histograms.encodedSizeBound(corrected)
                + Histograms.encodedSizeBound(uncorrected);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static LatencyAggregate readFrom(ByteBuffer in) {
        long count = in.getLong();
        long late = in.getLong();
        long sent = in.getLong();
        long received = in.getLong();
        long first = in.getLong();
        long last = in.getLong();
        long[] outcomes = new long[OUTCOMES.length];
        int stored = in.get();
        for (int i = 0; i < stored; i++) {
            long c = in.getLong();
            if (i < outcomes.length) {
                outcomes[i] = c;
            }
        }
        LatencyAggregate aggregate =
                new LatencyAggregate(readHistogram(in), readHistogram(in), outcomes);
        aggregate.count = count;
        aggregate.late = late;
        aggregate.bytesSent = sent;
        aggregate.bytesReceived = received;
        aggregate.firstIntendedUs = first;
        aggregate.lastIntendedUs = last;
        return aggregate;
    }

    private static void writeHistogram(Histogram histogram, ByteBuffer out) {
        int lengthAt = out.position();
        out.putInt(0);
        int length = histogram.encodeIntoCompressedByteBuffer(out);
        out.putInt(lengthAt, length);
    }

    private static Histogram readHistogram(ByteBuffer in) {
        int length = in.getInt();
        ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        return Histograms.decode(slice);
    }
}
