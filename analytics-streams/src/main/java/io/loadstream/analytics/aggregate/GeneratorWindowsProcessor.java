package io.loadstream.analytics.aggregate;

import io.loadstream.analytics.deadletter.DeadLetterReason;
import io.loadstream.analytics.deadletter.RejectedRecordException;
import io.loadstream.analytics.deadletter.TimingCheck;
import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.schemas.histogram.LatencyAggregate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 1 of the analytics: aggregates raw timing events per generator, endpoint and tumbling
 * event-time window (event time is the intended send time) into {@link IntervalHistogram} partials.
 * The timings topic is keyed by generator as well as endpoint, so a hot endpoint's events spread
 * over partitions and over the stream tasks that run this processor.
 *
 * <p>Every {@code emitInterval} of wall-clock time it forwards what each window gained since the
 * last time (a delta partial) and forgets it: stage 2 adds the deltas up, and its windows are live
 * while they are open. What has not been forwarded yet is in the changelogged store, so a crash
 * loses nothing: the store and the input offsets restart from the same commit.
 *
 * <p>Lateness is judged per generator, by its own clock ({@link GeneratorClocks}): an event whose
 * window closed (its generator's newest intended send time passed the window's end plus the grace
 * period) goes into a late partial, which stage 2 counts in the run's figures and {@code late}, and
 * is rejected to the dead-letter topic with reason {@code late}. A generator whose clock runs ahead
 * of the others' therefore makes none of their events late. Invalid events are rejected likewise by
 * {@link TimingCheck}.
 *
 * <p>Warm-up events ({@code RequestTiming.warmup}) go into partials of their own, marked {@code
 * warmup}, by the same windows; they move their generator's clock but are never late, since stage 2
 * puts them in no window: it counts them in the run's {@code warmup} figure only.
 *
 * <p>Each partial carries this task's {@link PartialProgress} in its headers, the least progress of
 * the generators it heard from within the idle timeout, so that stage 2 knows when it has heard
 * everything about a window.
 *
 * <p>A generator's end marker ({@code RequestTiming.runEnd}), which it publishes after its last
 * event of a series, ends that generator here at once: its clock is forgotten, so that it holds no
 * other generator's windows for the idle timeout, the task's pending partials are forwarded, and
 * the marker is passed on to stage 2 as an {@link IntervalHistogram} marker of the same series,
 * after that series' last partial. Its progress is {@code Long.MIN_VALUE} when no generator is left
 * on the task: stage 2 then stops waiting for this source.
 */
public final class GeneratorWindowsProcessor
        implements Processor<SeriesKey, RequestTiming, SeriesKey, IntervalHistogram> {

    private final String storeName;
    private final long windowMs;
    private final long graceMs;
    private final long idleTimeoutMs;
    private final Duration emitInterval;
    private final TimingCheck check;

    /**
     * Keys of store entries that hold events not yet forwarded, by window start: partials go out in
     * event-time order, so that stage 2 does not see a later window before an earlier one.
     */
    private final TreeMap<Long, Set<String>> pending = new TreeMap<>();

    private ProcessorContext<SeriesKey, IntervalHistogram> context;
    private AggregateStore store;
    private GeneratorClocks clocks;

    /** The task's progress when it last forwarded its partials. */
    private long forwardedCompleteBeforeMs = Long.MIN_VALUE;

    /**
     * @param idleTimeout how long a silent generator holds this task's progress back
     */
    public GeneratorWindowsProcessor(
            String storeName,
            Duration window,
            Duration grace,
            Duration idleTimeout,
            Duration emitInterval,
            TimingCheck check) {
        this.storeName = storeName;
        this.windowMs = window.toMillis();
        this.graceMs = grace.toMillis();
        this.idleTimeoutMs = idleTimeout.toMillis();
        this.emitInterval = emitInterval;
        this.check = check;
    }

    @Override
    public void init(ProcessorContext<SeriesKey, IntervalHistogram> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.clocks = new GeneratorClocks(graceMs, idleTimeoutMs, store::setMark);
        clocks.restore(store.marks(), context.currentSystemTimeMs());
        pending.clear();
        for (String key : store.keys()) {
            AggregateKeys.SeriesWindow window = AggregateKeys.SeriesWindow.parse(key);
            if (window != null) {
                pending.computeIfAbsent(window.startMs(), start -> new HashSet<>()).add(key);
            }
        }
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> forwardPending());
    }

    @Override
    public void process(Record<SeriesKey, RequestTiming> record) {
        RequestTiming timing = record.value();
        if (timing == null) {
            throw new RejectedRecordException(
                    DeadLetterReason.MISSING_FIELD, "the record has no value");
        }
        if (timing.getRunEnd()) {
            end(timing);
            return;
        }
        check.check(timing)
                .ifPresent(
                        violation -> {
                            throw new RejectedRecordException(violation);
                        });
        SeriesKey series =
                new SeriesKey(
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId());
        AggregateKeys.Generator generator =
                new AggregateKeys.Generator(timing.getRunId(), timing.getGeneratorId());
        long nowMs = context.currentSystemTimeMs();
        long eventMs = Math.floorDiv(timing.getIntendedSendTimeUs(), 1000);
        long startMs = Math.floorDiv(eventMs, windowMs) * windowMs;
        if (timing.getWarmup()) {
            recordWarmup(series, startMs, timing);
            clocks.advance(generator, eventMs, nowMs);
            return;
        }
        boolean late = clocks.isClosed(generator, startMs + windowMs);
        String key = new AggregateKeys.SeriesWindow(series, startMs, late).encode();
        LatencyAggregate aggregate = store.getForUpdate(key);
        aggregate.record(timing);
        pending.computeIfAbsent(startMs, start -> new HashSet<>()).add(key);
        if (late) {
            clocks.heard(generator, nowMs);
            aggregate.recordLate();
            throw new RejectedRecordException(
                    DeadLetterReason.LATE,
                    "window "
                            + startMs
                            + "+"
                            + windowMs
                            + " ms closed; generator "
                            + timing.getGeneratorId()
                            + " is at "
                            + clocks.timeMs(generator)
                            + ", grace "
                            + graceMs
                            + " ms");
        }
        long beforeMs = clocks.timeMs(generator);
        clocks.advance(generator, eventMs, nowMs);
        if (beforeMs != Long.MIN_VALUE
                && Math.floorDiv(beforeMs - graceMs, windowMs)
                        < Math.floorDiv(eventMs - graceMs, windowMs)) {
            forwardIfWindowsClosed();
        }
    }

    /**
     * Forwards at once when the task's progress has passed the end of another window, rather than
     * at the next emit interval, so that stage 2 can close that window a grace period after its end
     * instead of up to an emit interval later. Checked only when a generator's time crosses a
     * window end plus the grace period, about once a window per generator.
     */
    private void forwardIfWindowsClosed() {
        long completeBeforeMs = clocks.completeBeforeMs();
        if (completeBeforeMs != Long.MIN_VALUE
                && Math.floorDiv(completeBeforeMs, windowMs)
                        > Math.floorDiv(forwardedCompleteBeforeMs, windowMs)) {
            forwardPending();
        }
    }

    /**
     * Ends the marker's generator on this task, forwards what is pending, then the marker, so that
     * it follows its series' last partial on the way to stage 2.
     */
    private void end(RequestTiming marker) {
        SeriesKey series =
                new SeriesKey(
                        marker.getRunId(),
                        marker.getScenario(),
                        marker.getEndpoint(),
                        marker.getGeneratorId());
        clocks.forget(new AggregateKeys.Generator(marker.getRunId(), marker.getGeneratorId()));
        forwardPending();
        long atMs = Math.floorDiv(marker.getIntendedSendTimeUs(), 1000);
        long startMs = Math.floorDiv(atMs, windowMs) * windowMs;
        IntervalHistogram end =
                LatencyAggregate.empty()
                        .toIntervalHistogram(
                                series.getRunId(),
                                series.getScenario(),
                                series.getEndpoint(),
                                series.getGeneratorId(),
                                startMs * 1000,
                                (startMs + windowMs) * 1000);
        end.setRunEnd(true);
        end.setGenerators(marker.getGenerators());
        PartialProgress progress =
                new PartialProgress("stage-1-task-" + context.taskId(), clocks.completeBeforeMs());
        context.forward(new Record<>(series, end, startMs, progress.toHeaders()));
    }

    private void recordWarmup(SeriesKey series, long startMs, RequestTiming timing) {
        String key = new AggregateKeys.SeriesWindow(series, startMs, false, true).encode();
        store.getForUpdate(key).record(timing);
        pending.computeIfAbsent(startMs, start -> new HashSet<>()).add(key);
    }

    private void forwardPending() {
        clocks.expire(context.currentSystemTimeMs());
        String source = "stage-1-task-" + context.taskId();
        long completeBeforeMs = clocks.completeBeforeMs();
        forwardedCompleteBeforeMs = completeBeforeMs;
        for (Map.Entry<Long, Set<String>> window : pending.entrySet()) {
            // a later partial of this batch may still be for a window before completeBeforeMs
            PartialProgress progress =
                    new PartialProgress(source, Math.min(completeBeforeMs, window.getKey()));
            for (String key : window.getValue()) {
                forward(key, progress);
            }
        }
        pending.clear();
    }

    private void forward(String key, PartialProgress progress) {
        LatencyAggregate aggregate = store.get(key);
        AggregateKeys.SeriesWindow window = AggregateKeys.SeriesWindow.parse(key);
        if (aggregate == null || window == null) {
            return;
        }
        SeriesKey series = window.series();
        IntervalHistogram partial =
                aggregate.toIntervalHistogram(
                        series.getRunId(),
                        series.getScenario(),
                        series.getEndpoint(),
                        series.getGeneratorId(),
                        window.startMs() * 1000,
                        (window.startMs() + windowMs) * 1000);
        partial.setWarmup(window.warmup());
        context.forward(new Record<>(series, partial, window.startMs(), progress.toHeaders()));
        store.delete(key);
    }
}
