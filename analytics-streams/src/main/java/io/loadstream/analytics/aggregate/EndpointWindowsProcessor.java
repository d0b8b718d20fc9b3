package io.loadstream.analytics.aggregate;

import io.loadstream.analytics.deadletter.DeadLetterReason;
import io.loadstream.analytics.deadletter.PartialCheck;
import io.loadstream.analytics.deadletter.RejectedRecordException;
import io.loadstream.analytics.metrics.EndToEndLatency;
import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.histogram.LatencyAggregate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 2 of the analytics: merges the partials of each run, scenario and endpoint (from stage 1
 * and from generators in histogram mode alike) into tumbling windows at every resolution (1 s, and
 * the 10 s and 1 min rollups by default) and into a run total, and emits {@link WindowStats}:
 *
 * <ul>
 *   <li>early: every {@code emitInterval} of wall-clock time, the windows and run totals that
 *       changed, with {@code final} unset;
 *   <li>final: once every source of partials has passed the window's end, the window with {@code
 *       final} set, exactly once; it is then dropped from the store.
 * </ul>
 *
 * <p>A window is final when all its partials are in, not when some time has passed: each source (a
 * path from a stage 1 task, or a generator's series in histogram mode) says in its {@link
 * PartialProgress} how far it is complete, and a window closes when the slowest source heard from
 * within the idle timeout has passed its end ({@link Completeness}). A task replaying a backlog
 * after a crash therefore holds windows open instead of finding them closed. A source that falls
 * silent stops holding windows after the idle timeout; a run that falls silent is over, and all its
 * windows, rollups included, become final then. A run whose generators have all sent their end
 * markers is over at once: its windows close as soon as the last marker arrives, which comes after
 * its generator's last partial. Either way the run's summary is then emitted once with {@code
 * final} set.
 *
 * <p>A run's state is bounded in time: once a run is final (silent for the idle timeout, all its
 * windows closed) its total and closing marks stay for the run retention, in case a late partial
 * reopens it, and are then deleted from the store (tombstones in its changelog). Nothing is written
 * to {@code run-summaries} then: the last summary stays there, the system of record. A partial that
 * would be late for a run that has no total in the store (retired, or never seen) is rejected to
 * the dead-letter topic rather than starting a total that would overwrite the run's summary. A run
 * total is emitted after a restart only if it changed since it was last emitted, which a mark in
 * the store records, not every run the store still holds.
 *
 * <p>Histograms merge without loss, so a window's percentiles equal those of one histogram over all
 * its requests, whichever generators and tasks they came through. A partial for a window that has
 * closed anyway, and a late partial from stage 1, count in the run total and its {@code late}
 * figure but in no window; the first kind is also rejected to the dead-letter topic with reason
 * {@code late}.
 *
 * <p>A partial of warm-up requests ({@code IntervalHistogram.warmup}) is in no window and in none
 * of the run total's figures: its requests are counted in the run summary's {@code warmup} figure
 * alone, so that a generator's warm-up is published, accounted for and kept out of results.
 */
public final class EndpointWindowsProcessor
        implements Processor<RunKey, IntervalHistogram, RunKey, WindowStats> {

    /** Mark of a run total changed since it was last emitted. */
    private static final String UNEMITTED = "run-unemitted:";

    private final String storeName;
    private final long[] resolutionsMs;
    private final long idleTimeoutMs;
    private final long runRetentionMs;
    private final Duration emitInterval;
    private final PartialCheck check;
    private final EndToEndLatency endToEndLatency;

    /** Open windows by end time, rebuilt from the store after a restart. */
    private final TreeMap<Long, Set<AggregateKeys.EndpointWindow>> openByEnd = new TreeMap<>();

    private final Set<AggregateKeys.EndpointWindow> changedWindows = new HashSet<>();
    private final Set<RunKey> changedRuns = new HashSet<>();

    private ProcessorContext<RunKey, WindowStats> context;
    private AggregateStore store;

    private Completeness completeness;

    /** Smallest windows that end at or before this time are closed, for every run. */
    private long closedBeforeMs = Long.MIN_VALUE;

    /**
     * @param resolutions window sizes, the smallest first; each a multiple of the smallest
     * @param idleTimeout how long a silent source of partials holds windows open
     * @param runRetention how long a final run's state is kept before it is deleted
     * @param endToEndLatency where the age of the newest request of each emitted smallest window is
     *     recorded
     */
    public EndpointWindowsProcessor(
            String storeName,
            List<Duration> resolutions,
            Duration idleTimeout,
            Duration runRetention,
            Duration emitInterval,
            PartialCheck check,
            EndToEndLatency endToEndLatency) {
        this.storeName = storeName;
        this.resolutionsMs = resolutions.stream().mapToLong(Duration::toMillis).toArray();
        this.idleTimeoutMs = idleTimeout.toMillis();
        this.runRetentionMs = runRetention.toMillis();
        this.emitInterval = emitInterval;
        this.check = check;
        this.endToEndLatency = endToEndLatency;
    }

    @Override
    public void init(ProcessorContext<RunKey, WindowStats> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.completeness = new Completeness(idleTimeoutMs, store::setMark);
        this.closedBeforeMs = store.streamTimeMs();
        openByEnd.clear();
        changedWindows.clear();
        changedRuns.clear();
        // after a restart, emit the open windows once, and the run totals changed since their last
        // emit: those changes may have been committed to the store but not yet emitted
        Set<RunKey> runs = new HashSet<>();
        for (String key : store.keys()) {
            AggregateKeys.EndpointWindow window = AggregateKeys.EndpointWindow.parse(key);
            if (window != null) {
                openByEnd.computeIfAbsent(window.endMs(), end -> new HashSet<>()).add(window);
                changedWindows.add(window);
                runs.add(window.run());
            }
            RunKey run = AggregateKeys.parseRun(key);
            if (run != null) {
                runs.add(run);
            }
        }
        Map<String, Long> marks = store.marks();
        marks.keySet().stream()
                .filter(name -> name.startsWith(UNEMITTED))
                .map(name -> AggregateKeys.parseRun(name.substring(UNEMITTED.length())))
                .filter(Objects::nonNull)
                .forEach(changedRuns::add);
        completeness.restore(marks, runs, context.currentSystemTimeMs());
        context.schedule(
                emitInterval,
                PunctuationType.WALL_CLOCK_TIME,
                now -> {
                    emitChanged();
                    closeWindows(now);
                });
    }

    @Override
    public void process(Record<RunKey, IntervalHistogram> record) {
        IntervalHistogram partial = record.value();
        if (partial == null) {
            throw new RejectedRecordException(
                    DeadLetterReason.MISSING_FIELD, "the record has no value");
        }
        check.check(partial)
                .ifPresent(
                        violation -> {
                            throw new RejectedRecordException(violation);
                        });
        RunKey run = new RunKey(partial.getRunId(), partial.getScenario(), partial.getEndpoint());
        if (partial.getRunEnd()) {
            end(record, run);
            return;
        }
        long eventMs = Math.floorDiv(partial.getIntervalStartUs(), 1000);
        long baseStartMs = Math.floorDiv(eventMs, resolutionsMs[0]) * resolutionsMs[0];
        long closedBefore = Math.max(closedBeforeMs, completeness.runClosedBefore(run));
        boolean closed = partial.getLate() == 0 && baseStartMs + resolutionsMs[0] <= closedBefore;
        String runKey = AggregateKeys.run(run);
        if (closed && store.get(runKey) == null) {
            throw new RejectedRecordException(
                    DeadLetterReason.LATE,
                    "partial of "
                            + partial.getCount()
                            + " requests from "
                            + partial.getGeneratorId()
                            + " for window "
                            + baseStartMs
                            + " that closed, of a run with no state here (retired after the run"
                            + " retention, or never seen); windows before "
                            + closedBefore
                            + " are final");
        }
        completeness.heard(progressOf(record), run, context.currentSystemTimeMs());
        LatencyAggregate aggregate = LatencyAggregate.fromPartial(partial);
        LatencyAggregate runTotal = store.getForUpdate(runKey);
        if (changedRuns.add(run)) {
            store.setMark(UNEMITTED + runKey, 1L);
        }
        if (partial.getWarmup()) {
            store.getForUpdate(AggregateKeys.runWarmup(run)).merge(aggregate);
            return;
        }
        if (partial.getLate() > 0) {
            // stage 1 has already counted and dead-lettered these requests
            runTotal.merge(aggregate);
            return;
        }
        if (closed) {
            aggregate.markAllLate();
            runTotal.merge(aggregate);
            throw new RejectedRecordException(
                    DeadLetterReason.LATE,
                    "partial of "
                            + partial.getCount()
                            + " requests from "
                            + partial.getGeneratorId()
                            + " for window "
                            + baseStartMs
                            + " that closed; windows before "
                            + closedBefore
                            + " are final");
        }
        runTotal.merge(aggregate);
        for (long resolutionMs : resolutionsMs) {
            long startMs = Math.floorDiv(eventMs, resolutionMs) * resolutionMs;
            AggregateKeys.EndpointWindow window =
                    new AggregateKeys.EndpointWindow(run, resolutionMs, startMs);
            store.getForUpdate(window.encode()).merge(aggregate);
            openByEnd.computeIfAbsent(window.endMs(), end -> new HashSet<>()).add(window);
            changedWindows.add(window);
        }
        closeWindows(context.currentSystemTimeMs());
    }

    /**
     * A generator has ended its part of {@code run}, and every partial of its series has come
     * before this marker (they travel the same path): its source stops holding windows, and once
     * every generator of the run has ended, the run closes at once, as a silent one does after the
     * idle timeout.
     */
    private void end(Record<RunKey, IntervalHistogram> record, RunKey run) {
        IntervalHistogram marker = record.value();
        completeness.sourceEnded(endedSource(record));
        boolean allEnded =
                completeness.generatorEnded(run, marker.getGeneratorId(), marker.getGenerators());
        long nowMs = context.currentSystemTimeMs();
        if (allEnded && !completeness.isFinal(run)) {
            closeRun(run, nowMs);
        }
        closeWindows(nowMs);
    }

    /**
     * The source an end marker closes: a stage 1 task says in its headers; a generator in histogram
     * mode has ended its series' source.
     */
    private static PartialProgress endedSource(Record<RunKey, IntervalHistogram> record) {
        PartialProgress progress = PartialProgress.fromHeaders(record.headers());
        return progress != null
                ? progress
                : new PartialProgress(generatorSource(record.value()), Long.MIN_VALUE);
    }

    private static String generatorSource(IntervalHistogram partial) {
        return String.join(
                "/",
                "generator",
                partial.getRunId(),
                partial.getScenario(),
                partial.getEndpoint(),
                partial.getGeneratorId());
    }

    /**
     * Stage 1 tasks say how far they are in the headers; a generator in histogram mode publishes
     * each series' intervals in order, so its partial says that earlier intervals are complete.
     */
    private static PartialProgress progressOf(Record<RunKey, IntervalHistogram> record) {
        PartialProgress progress = PartialProgress.fromHeaders(record.headers());
        if (progress != null) {
            return progress;
        }
        IntervalHistogram partial = record.value();
        return new PartialProgress(
                generatorSource(partial), Math.floorDiv(partial.getIntervalStartUs(), 1000));
    }

    /**
     * Closes the windows that every source has passed, and every window of a run that has fallen
     * silent (its generators stopped, or the pipeline stalled for longer than the idle timeout).
     */
    private void closeWindows(long nowMs) {
        for (RunKey silent : completeness.expire(nowMs)) {
            closeRun(silent, nowMs);
        }
        for (RunKey retired : completeness.retire(nowMs, runRetentionMs)) {
            // no tombstone to run-summaries: its last summary stays the record of the run
            store.delete(AggregateKeys.run(retired));
            store.delete(AggregateKeys.runWarmup(retired));
        }
        long watermark = completeness.watermark();
        if (watermark > closedBeforeMs) {
            closedBeforeMs = watermark;
            store.setStreamTimeMs(closedBeforeMs);
        }
        Iterator<Map.Entry<Long, Set<AggregateKeys.EndpointWindow>>> oldest =
                openByEnd.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<Long, Set<AggregateKeys.EndpointWindow>> entry = oldest.next();
            if (entry.getKey() > closedBeforeMs) {
                break;
            }
            entry.getValue().forEach(this::closeWindow);
            oldest.remove();
        }
    }

    private void closeRun(RunKey run, long nowMs) {
        long lastEndMs = Long.MIN_VALUE;
        Iterator<Map.Entry<Long, Set<AggregateKeys.EndpointWindow>>> all =
                openByEnd.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<Long, Set<AggregateKeys.EndpointWindow>> entry = all.next();
            Iterator<AggregateKeys.EndpointWindow> windows = entry.getValue().iterator();
            while (windows.hasNext()) {
                AggregateKeys.EndpointWindow window = windows.next();
                if (window.run().equals(run)) {
                    closeWindow(window);
                    windows.remove();
                    lastEndMs = Math.max(lastEndMs, window.endMs());
                }
            }
            if (entry.getValue().isEmpty()) {
                all.remove();
            }
        }
        if (lastEndMs != Long.MIN_VALUE) {
            completeness.runClosed(run, lastEndMs);
        }
        changedRuns.remove(run);
        emitRun(run, true);
        completeness.runFinal(run, nowMs);
    }

    private void closeWindow(AggregateKeys.EndpointWindow window) {
        String key = window.encode();
        LatencyAggregate aggregate = store.get(key);
        if (aggregate != null) {
            emitWindow(window, aggregate, true);
            store.delete(key);
        }
        changedWindows.remove(window);
    }

    private void emitChanged() {
        for (AggregateKeys.EndpointWindow window : changedWindows) {
            LatencyAggregate aggregate = store.get(window.encode());
            if (aggregate != null) {
                emitWindow(window, aggregate, false);
            }
        }
        changedWindows.clear();
        for (RunKey run : changedRuns) {
            emitRun(run, false);
        }
        changedRuns.clear();
    }

    /**
     * Emits the run total of {@code run}, if it has one, and clears its mark of a change not yet
     * emitted; a final one only when the run closes, so once.
     */
    private void emitRun(RunKey run, boolean isFinal) {
        store.setMark(UNEMITTED + AggregateKeys.run(run), null);
        LatencyAggregate total = store.get(AggregateKeys.run(run));
        if (total == null) {
            return;
        }
        WindowStats stats =
                total.toStats(
                        run.getRunId(),
                        run.getScenario(),
                        run.getEndpoint(),
                        0,
                        total.firstIntendedMs(),
                        total.lastIntendedMs(),
                        isFinal);
        LatencyAggregate warmup = store.get(AggregateKeys.runWarmup(run));
        stats.setWarmup(warmup == null ? 0 : warmup.count());
        context.forward(new Record<>(run, stats, context.currentSystemTimeMs()));
    }

    private void emitWindow(
            AggregateKeys.EndpointWindow window, LatencyAggregate aggregate, boolean isFinal) {
        RunKey run = window.run();
        WindowStats stats =
                aggregate.toStats(
                        run.getRunId(),
                        run.getScenario(),
                        run.getEndpoint(),
                        window.resolutionMs(),
                        window.startMs(),
                        window.endMs(),
                        isFinal);
        context.forward(new Record<>(run, stats, window.endMs() - 1));
        if (window.resolutionMs() == resolutionsMs[0] && aggregate.count() > 0) {
            long newestMs = aggregate.lastIntendedUs() / 1000;
            endToEndLatency.record(Math.max(0, context.currentSystemTimeMs() - newestMs));
        }
    }
}
