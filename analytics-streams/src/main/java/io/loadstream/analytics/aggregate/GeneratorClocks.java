package io.loadstream.analytics.aggregate;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Stage 1's event-time clock per generator: how far each generator (of each run) that a task reads
 * has got, so that each generator's own events decide when its windows close. Generators on
 * different hosts have different clocks; were lateness judged by one stream time per task, a
 * generator whose clock runs ahead would make every other generator's events late. A plain class
 * with the wall clock passed in, so that it is tested on its own.
 *
 * <ul>
 *   <li>A generator's time is the newest intended send time of its events that were not late; a
 *       window of that generator is closed once its time has passed the window's end plus the grace
 *       period.
 *   <li>The task's progress ({@link #completeBeforeMs}), which it sends to stage 2 as {@link
 *       PartialProgress}, is the least time, less the grace period, of the generators heard from
 *       within the idle timeout: no generator still sending can add to a window that ends before
 *       it. A generator whose clock runs ahead therefore moves nothing for the others.
 *   <li>A generator silent for the idle timeout (it stopped, or its run ended) is forgotten, so it
 *       holds the progress back for at most that long, as stage 2's {@link Completeness} holds a
 *       silent source. Should it come back, its clock starts again from its next event; its
 *       partials for windows stage 2 has closed meanwhile are late there.
 *   <li>A generator that has ended (its end marker came) is forgotten at once ({@link #forget}).
 * </ul>
 *
 * <p>A generator first heard after the progress has passed its windows (it joined later with a
 * clock behind the others') is not late here, but stage 2 finds those windows closed and counts its
 * partials as late: a window cannot wait for a source nobody has heard of.
 *
 * <p>Each generator's time is a mark in the store, written through {@code marks} and read back by
 * {@link #restore}, so that windows close at the same point after a restart; forgetting a generator
 * removes its mark.
 */
final class GeneratorClocks {

    private static final String MARK = "generator-time:";

    private final long graceMs;
    private final long idleTimeoutMs;
    private final BiConsumer<String, Long> marks;
    private final Map<AggregateKeys.Generator, Long> timeMs = new HashMap<>();
    private final Map<AggregateKeys.Generator, Long> heardAtMs = new HashMap<>();

    /**
     * @param marks where changed marks are written, by name; a null value removes one
     */
    GeneratorClocks(long graceMs, long idleTimeoutMs, BiConsumer<String, Long> marks) {
        this.graceMs = graceMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.marks = marks;
    }

    /**
     * Takes back the generators' times from the marks of a previous instance; each generator gets
     * the full idle timeout from {@code nowMs} to be heard again.
     */
    void restore(Map<String, Long> stored, long nowMs) {
        timeMs.clear();
        heardAtMs.clear();
        stored.forEach(
                (name, value) -> {
                    AggregateKeys.Generator generator =
                            name.startsWith(MARK)
                                    ? AggregateKeys.Generator.parse(name.substring(MARK.length()))
                                    : null;
                    if (generator != null) {
                        timeMs.put(generator, value);
                        heardAtMs.put(generator, nowMs);
                    }
                });
    }

    /**
     * Whether the window {@code [startMs, endMs)} of {@code generator} has closed: its time has
     * passed the end plus the grace period.
     */
    boolean isClosed(AggregateKeys.Generator generator, long endMs) {
        long time = timeMs(generator);
        return time != Long.MIN_VALUE && endMs + graceMs <= time;
    }

    /** The generator's time; {@code Long.MIN_VALUE} before its first event. */
    long timeMs(AggregateKeys.Generator generator) {
        return timeMs.getOrDefault(generator, Long.MIN_VALUE);
    }

    /** {@code generator} sent an event intended at {@code eventMs}, which was not late. */
    void advance(AggregateKeys.Generator generator, long eventMs, long nowMs) {
        heard(generator, nowMs);
        if (eventMs > timeMs(generator)) {
            timeMs.put(generator, eventMs);
            marks.accept(MARK + generator.encode(), eventMs);
        }
    }

    /** {@code generator} sent something (a late event too): it is not silent. */
    void heard(AggregateKeys.Generator generator, long nowMs) {
        heardAtMs.put(generator, nowMs);
    }

    /**
     * Forgets {@code generator} at once: it has ended (its end marker came after its last event),
     * so it holds no window back any more.
     */
    void forget(AggregateKeys.Generator generator) {
        heardAtMs.remove(generator);
        if (timeMs.remove(generator) != null) {
            marks.accept(MARK + generator.encode(), null);
        }
    }

    /** Forgets the generators silent for the idle timeout. */
    void expire(long nowMs) {
        Iterator<Map.Entry<AggregateKeys.Generator, Long>> all = heardAtMs.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<AggregateKeys.Generator, Long> generator = all.next();
            if (nowMs - generator.getValue() >= idleTimeoutMs) {
                all.remove();
                if (timeMs.remove(generator.getKey()) != null) {
                    marks.accept(MARK + generator.getKey().encode(), null);
                }
            }
        }
    }

    /**
     * Windows that end at or before this have all their (non-late) events from the generators heard
     * within the idle timeout; {@code Long.MIN_VALUE} when no generator has a time.
     */
    long completeBeforeMs() {
        return timeMs.values().stream()
                .mapToLong(time -> time - graceMs)
                .min()
                .orElse(Long.MIN_VALUE);
    }

    /** How many generators are known, for tests and store-size figures. */
    int size() {
        return timeMs.size();
    }
}
