package io.loadstream.analytics.aggregate;

import io.loadstream.avro.RunKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What stage 2 knows about the completeness of its input: how far each source of partials (a path
 * from a stage 1 task, or a generator in histogram mode) is complete, and which runs have fallen
 * silent. A plain class with the wall clock passed in, so that it is tested on its own.
 *
 * <ul>
 *   <li>The watermark is the least progress of the sources heard from within the idle timeout:
 *       every window that ends at or before it has all its partials. A silent source stops holding
 *       it back after the idle timeout (its generator stopped).
 *   <li>A run without partials for the idle timeout is over: {@link #expire} returns it once, and
 *       stage 2 closes all its windows and records with {@link #runClosed} where they ended, so
 *       that a partial of that run arriving later is late, and one of any other run is not. It then
 *       tells {@link #runFinal}, which starts the run's retention.
 *   <li>A run final for the run retention (no partial reopened it) is retired: {@link #retire}
 *       returns it once and forgets its marks, and stage 2 deletes its total. Retention is keyed
 *       off the run being final, not off how it became final, so that any other way of closing a
 *       run (an end-of-run marker) retires it too.
 *   <li>Generators end their part of a run with end markers: {@link #generatorEnded} counts them
 *       against the number of generators the markers announce, and says when the last has ended, so
 *       that stage 2 closes the run then rather than after the idle timeout. A source whose
 *       generators have all ended is forgotten at once ({@link #sourceEnded}).
 * </ul>
 *
 * <p>Progress, the runs' closing points and the times at which they became final are marks in the
 * store, written through {@code marks} and read back by {@link #restore}, so that they survive a
 * restart; every mark is removed again (a tombstone in the changelog) when its source expires or
 * its run is retired, so the store holds only what open and retained runs need.
 */
final class Completeness {

    private static final String SOURCE = "source:";
    private static final String RUN_CLOSED = "run-closed:";
    private static final String RUN_FINAL = "run-final:";
    private static final String RUN_GENERATORS = "run-generators:";
    private static final String GENERATOR_ENDED = "generator-ended:";

    private final long idleTimeoutMs;
    private final BiConsumer<String, Long> marks;
    private final Map<String, Long> completeBeforeBySource = new HashMap<>();
    private final Map<String, Long> heardAtBySource = new HashMap<>();
    private final Map<RunKey, Long> heardAtByRun = new HashMap<>();
    private final Map<String, Long> closedBeforeByRun = new HashMap<>();
    private final Map<RunKey, Long> finalAtByRun = new HashMap<>();
    private final Map<RunKey, Long> generatorsByRun = new HashMap<>();
    private final Map<RunKey, Set<String>> endedByRun = new HashMap<>();

    /**
     * @param marks where changed marks are written, by name; a null value removes one
     */
    Completeness(long idleTimeoutMs, BiConsumer<String, Long> marks) {
        this.idleTimeoutMs = idleTimeoutMs;
        this.marks = marks;
    }

    /**
     * Takes back the marks of a previous instance, and the runs that have state in the store (open
     * windows or a total). Each source, and each run not final yet, gets the full idle timeout from
     * {@code nowMs} to come back; a final run keeps the time it became final.
     */
    void restore(Map<String, Long> stored, Iterable<RunKey> runs, long nowMs) {
        completeBeforeBySource.clear();
        heardAtBySource.clear();
        heardAtByRun.clear();
        closedBeforeByRun.clear();
        finalAtByRun.clear();
        generatorsByRun.clear();
        endedByRun.clear();
        stored.forEach(
                (name, value) -> {
                    if (name.startsWith(SOURCE)) {
                        String source = name.substring(SOURCE.length());
                        completeBeforeBySource.put(source, value);
                        heardAtBySource.put(source, nowMs);
                    } else if (name.startsWith(RUN_CLOSED)) {
                        closedBeforeByRun.put(name.substring(RUN_CLOSED.length()), value);
                    } else if (name.startsWith(RUN_FINAL)) {
                        RunKey run = AggregateKeys.parseRun(name.substring(RUN_FINAL.length()));
                        if (run != null) {
                            finalAtByRun.put(run, value);
                        }
                    } else if (name.startsWith(RUN_GENERATORS)) {
                        RunKey run =
                                AggregateKeys.parseRun(name.substring(RUN_GENERATORS.length()));
                        if (run != null) {
                            generatorsByRun.put(run, value);
                        }
                    } else if (name.startsWith(GENERATOR_ENDED)) {
                        AggregateKeys.RunGenerator ended =
                                AggregateKeys.RunGenerator.parse(
                                        name.substring(GENERATOR_ENDED.length()));
                        if (ended != null) {
                            endedByRun
                                    .computeIfAbsent(ended.run(), r -> new HashSet<>())
                                    .add(ended.generatorId());
                        }
                    }
                });
        for (RunKey run : runs) {
            if (!finalAtByRun.containsKey(run)) {
                heardAtByRun.put(run, nowMs);
            }
        }
    }

    /** A partial of {@code run} came from a source that is complete as {@code progress} says. */
    void heard(PartialProgress progress, RunKey run, long nowMs) {
        long completeBefore =
                Math.max(
                        progress.completeBeforeMs(),
                        completeBeforeBySource.getOrDefault(progress.source(), Long.MIN_VALUE));
        completeBeforeBySource.put(progress.source(), completeBefore);
        heardAtBySource.put(progress.source(), nowMs);
        heardAtByRun.put(run, nowMs);
        if (finalAtByRun.remove(run) != null) {
            // a late partial: the run is open again until it falls silent again
            marks.accept(RUN_FINAL + AggregateKeys.run(run), null);
        }
        marks.accept(SOURCE + progress.source(), completeBefore);
    }

    /**
     * A source sent an end marker with {@code progress}: a source with no generator left ({@code
     * Long.MIN_VALUE}) holds no window back any more and is forgotten at once, as if it had been
     * silent for the idle timeout; otherwise its progress counts as a partial's would.
     */
    void sourceEnded(PartialProgress progress) {
        if (progress.completeBeforeMs() == Long.MIN_VALUE) {
            heardAtBySource.remove(progress.source());
            if (completeBeforeBySource.remove(progress.source()) != null) {
                marks.accept(SOURCE + progress.source(), null);
            }
            return;
        }
        long completeBefore =
                Math.max(
                        progress.completeBeforeMs(),
                        completeBeforeBySource.getOrDefault(progress.source(), Long.MIN_VALUE));
        completeBeforeBySource.put(progress.source(), completeBefore);
        marks.accept(SOURCE + progress.source(), completeBefore);
    }

    /**
     * {@code generatorId} has ended its part of {@code run}, which {@code generators} generators
     * share (0 when its marker does not say; the largest count any marker gave holds).
     *
     * @return whether every generator of the run has ended now: as many as the largest count, at
     *     least one
     */
    boolean generatorEnded(RunKey run, String generatorId, int generators) {
        String name = AggregateKeys.run(run);
        long expected = Math.max(1, Math.max(generators, generatorsByRun.getOrDefault(run, 0L)));
        if (expected > generatorsByRun.getOrDefault(run, 0L)) {
            generatorsByRun.put(run, expected);
            marks.accept(RUN_GENERATORS + name, expected);
        }
        if (endedByRun.computeIfAbsent(run, r -> new HashSet<>()).add(generatorId)) {
            marks.accept(
                    GENERATOR_ENDED + new AggregateKeys.RunGenerator(run, generatorId).encode(),
                    1L);
        }
        return endedByRun.get(run).size() >= expected;
    }

    /**
     * Windows ending at or before this have all their partials; {@code Long.MIN_VALUE} if unknown.
     */
    long watermark() {
        return completeBeforeBySource.values().stream()
                .mapToLong(Long::longValue)
                .min()
                .orElse(Long.MIN_VALUE);
    }

    /** Forgets the sources silent for the idle timeout; returns the runs silent that long. */
    List<RunKey> expire(long nowMs) {
        Iterator<Map.Entry<String, Long>> sources = heardAtBySource.entrySet().iterator();
        while (sources.hasNext()) {
            Map.Entry<String, Long> source = sources.next();
            if (nowMs - source.getValue() >= idleTimeoutMs) {
                sources.remove();
                completeBeforeBySource.remove(source.getKey());
                marks.accept(SOURCE + source.getKey(), null);
            }
        }
        List<RunKey> silent = new ArrayList<>();
        Iterator<Map.Entry<RunKey, Long>> runs = heardAtByRun.entrySet().iterator();
        while (runs.hasNext()) {
            Map.Entry<RunKey, Long> run = runs.next();
            if (nowMs - run.getValue() >= idleTimeoutMs) {
                runs.remove();
                silent.add(run.getKey());
            }
        }
        return silent;
    }

    /** Windows of {@code run} that end at or before {@code endMs} have been closed. */
    void runClosed(RunKey run, long endMs) {
        String name = AggregateKeys.run(run);
        if (endMs > closedBeforeByRun.getOrDefault(name, Long.MIN_VALUE)) {
            closedBeforeByRun.put(name, endMs);
            marks.accept(RUN_CLOSED + name, endMs);
        }
    }

    /**
     * {@code run} is final at {@code nowMs}: all its windows are closed and it is silent; its
     * retention starts.
     */
    void runFinal(RunKey run, long nowMs) {
        heardAtByRun.remove(run);
        finalAtByRun.put(run, nowMs);
        marks.accept(RUN_FINAL + AggregateKeys.run(run), nowMs);
    }

    /** Whether {@code run} is final, and not reopened since. */
    boolean isFinal(RunKey run) {
        return finalAtByRun.containsKey(run);
    }

    /**
     * Forgets the runs final for {@code retentionMs} and returns them, once each, for their state
     * to be deleted.
     */
    List<RunKey> retire(long nowMs, long retentionMs) {
        List<RunKey> retired = new ArrayList<>();
        Iterator<Map.Entry<RunKey, Long>> runs = finalAtByRun.entrySet().iterator();
        while (runs.hasNext()) {
            Map.Entry<RunKey, Long> run = runs.next();
            if (nowMs - run.getValue() >= retentionMs) {
                runs.remove();
                String name = AggregateKeys.run(run.getKey());
                marks.accept(RUN_FINAL + name, null);
                if (closedBeforeByRun.remove(name) != null) {
                    marks.accept(RUN_CLOSED + name, null);
                }
                if (generatorsByRun.remove(run.getKey()) != null) {
                    marks.accept(RUN_GENERATORS + name, null);
                }
                for (String ended : endedByRun.getOrDefault(run.getKey(), Set.of())) {
                    marks.accept(
                            GENERATOR_ENDED
                                    + new AggregateKeys.RunGenerator(run.getKey(), ended).encode(),
                            null);
                }
                endedByRun.remove(run.getKey());
                retired.add(run.getKey());
            }
        }
        return retired;
    }

    /** The end of the last window closed because {@code run} fell silent, or {@code MIN_VALUE}. */
    long runClosedBefore(RunKey run) {
        return closedBeforeByRun.getOrDefault(AggregateKeys.run(run), Long.MIN_VALUE);
    }
}
