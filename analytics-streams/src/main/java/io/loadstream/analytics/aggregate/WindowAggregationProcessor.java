package io.loadstream.analytics.aggregate;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.histogram.LatencyAggregate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Aggregates the timing events of each endpoint into tumbling event-time windows (event time is the
 * intended send time) and into a run total, and emits {@link WindowStats}:
 *
 * <ul>
 *   <li>early: every {@code emitInterval} of wall-clock time, the windows and run totals that
 *       changed, with {@code final} unset, so that live views are live;
 *   <li>final: once stream time passes a window's end plus the grace period, the window with {@code
 *       final} set, exactly once; the window is then dropped from the store.
 * </ul>
 *
 * <p>An event for a window that has already closed is not added to any window: it is counted in the
 * run total's {@code late} figure. Run totals ({@code resolutionMs} 0) include every event that was
 * not late, so they are current even while the last windows are still open.
 */
public final class WindowAggregationProcessor
        implements Processor<RunKey, RequestTiming, RunKey, WindowStats> {

    private final String storeName;
    private final long windowMs;
    private final long graceMs;
    private final Duration emitInterval;

    /** Open windows by start time, rebuilt from the store after a restart. */
    private final TreeMap<Long, Set<AggregateKeys.Window>> openWindows = new TreeMap<>();

    private final Set<AggregateKeys.Window> changedWindows = new HashSet<>();
    private final Set<RunKey> changedRuns = new HashSet<>();
    private ProcessorContext<RunKey, WindowStats> context;
    private AggregateStore store;
    private long streamTimeMs = Long.MIN_VALUE;

    public WindowAggregationProcessor(
            String storeName, Duration window, Duration grace, Duration emitInterval) {
        this.storeName = storeName;
        this.windowMs = window.toMillis();
        this.graceMs = grace.toMillis();
        this.emitInterval = emitInterval;
    }

    @Override
    public void init(ProcessorContext<RunKey, WindowStats> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.streamTimeMs = store.streamTimeMs();
        for (String key : store.keys()) {
            AggregateKeys.Window window = AggregateKeys.parseWindow(key);
            if (window != null) {
                openWindows.computeIfAbsent(window.startMs(), s -> new HashSet<>()).add(window);
            }
        }
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emitChanged());
    }

    @Override
    public void process(Record<RunKey, RequestTiming> record) {
        RequestTiming timing = record.value();
        RunKey run = record.key();
        long eventMs = Math.floorDiv(timing.getIntendedSendTimeUs(), 1000);
        long startMs = Math.floorDiv(eventMs, windowMs) * windowMs;
        LatencyAggregate runTotal = store.getForUpdate(AggregateKeys.run(run));
        changedRuns.add(run);
        runTotal.record(timing);
        if (isClosed(startMs)) {
            runTotal.recordLate();
        } else {
            AggregateKeys.Window window = new AggregateKeys.Window(run, startMs);
            store.getForUpdate(window.encode()).record(timing);
            openWindows.computeIfAbsent(startMs, s -> new HashSet<>()).add(window);
            changedWindows.add(window);
        }
        if (eventMs > streamTimeMs) {
            streamTimeMs = eventMs;
            store.setStreamTimeMs(eventMs);
            closeWindows();
        }
    }

    private boolean isClosed(long startMs) {
        return streamTimeMs != Long.MIN_VALUE && startMs + windowMs + graceMs <= streamTimeMs;
    }

    private void closeWindows() {
        Iterator<Map.Entry<Long, Set<AggregateKeys.Window>>> oldest =
                openWindows.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<Long, Set<AggregateKeys.Window>> entry = oldest.next();
            if (!isClosed(entry.getKey())) {
                return;
            }
            for (AggregateKeys.Window window : entry.getValue()) {
                String key = window.encode();
                LatencyAggregate aggregate = store.get(key);
                if (aggregate != null) {
                    emitWindow(window, aggregate, true);
                    store.delete(key);
                }
                changedWindows.remove(window);
            }
            oldest.remove();
        }
    }

    private void emitChanged() {
        for (AggregateKeys.Window window : changedWindows) {
            LatencyAggregate aggregate = store.get(window.encode());
            if (aggregate != null) {
                emitWindow(window, aggregate, false);
            }
        }
        changedWindows.clear();
        for (RunKey run : changedRuns) {
            LatencyAggregate total = store.get(AggregateKeys.run(run));
            if (total != null) {
                WindowStats stats =
                        total.toStats(
                                run.getRunId(),
                                run.getScenario(),
                                run.getEndpoint(),
                                0,
                                total.firstIntendedMs(),
                                total.lastIntendedMs(),
                                false);
                context.forward(new Record<>(run, stats, context.currentSystemTimeMs()));
            }
        }
        changedRuns.clear();
    }

    private void emitWindow(
            AggregateKeys.Window window, LatencyAggregate aggregate, boolean isFinal) {
        RunKey run = window.run();
        WindowStats stats =
                aggregate.toStats(
                        run.getRunId(),
                        run.getScenario(),
                        run.getEndpoint(),
                        windowMs,
                        window.startMs(),
                        window.startMs() + windowMs,
                        isFinal);
        context.forward(new Record<>(run, stats, window.startMs() + windowMs - 1));
    }
}
