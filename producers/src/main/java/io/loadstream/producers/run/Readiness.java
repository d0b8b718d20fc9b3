package io.loadstream.producers.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a generator did to be ready before its run's time 0, and how long each step took: connecting
 * to Kafka and fetching its topic's metadata, registering its schemas, opening its connections to
 * the target, warming up. Steps are timed on an injected monotonic clock, in the order they run;
 * the run's schedule starts once the last one is done, so that none of them shows as the service's
 * latency.
 *
 * <pre>{@code
 * Readiness readiness = new Readiness(System::nanoTime);
 * readiness.run("schemas", () -> serdes.registerSchemas(topic));
 * Publisher publisher = readiness.get("kafka", () -> Publishers.open(...));
 * // GeneratorRun adds the connections and the warm-up, then starts the schedule
 * readiness.line();   // ready in 1.8 s: kafka 0.4 s, schemas 0.1 s, 64 connections 0.2 s, ...
 * }</pre>
 */
public final class Readiness {

    /**
     * One step.
     *
     * @param name the step, as metrics tag it: {@code kafka}, {@code schemas}, {@code connections},
     *     {@code warm-up}
     * @param label how the ready line names it, for example {@code 64 connections}
     * @param took how long it took
     * @param note what it did, in brackets after its time, or empty
     */
    public record Step(String name, String label, Duration took, String note) {

        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(took, "took");
            Objects.requireNonNull(note, "note");
        }

        String describe() {
            return label + " " + seconds(took) + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    private final LongSupplier nanoClock;
    private final List<Step> steps = new ArrayList<>();
    private final long createdNanos;
    private final Duration launchedBefore;

    /**
     * @param nanoClock the monotonic clock steps are timed on
     */
    public Readiness(LongSupplier nanoClock) {
        this(nanoClock, null);
    }

    /**
     * @param launchedBefore how long ago the process was launched, if known: the ready line then
     *     says how long after launch the run's time 0 came
     */
    public Readiness(LongSupplier nanoClock, Duration launchedBefore) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.createdNanos = nanoClock.getAsLong();
        this.launchedBefore = launchedBefore;
    }

    /** Runs and times a step named {@code name}. */
    public void run(String name, Runnable step) {
        get(
                name,
                () -> {
                    step.run();
                    return null;
                });
    }

    /** Runs and times a step named {@code name}, and returns what it made. */
    public <T> T get(String name, Supplier<T> step) {
        long start = nanoClock.getAsLong();
        T made = step.get();
        add(new Step(name, name, Duration.ofNanos(nanoClock.getAsLong() - start), ""));
        return made;
    }

    /** Adds a step timed by the caller. */
    public synchronized void add(Step step) {
        steps.add(Objects.requireNonNull(step, "step"));
    }

    /** The steps so far, in the order they ran. */
    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The time the steps took together. */
    public synchronized Duration total() {
        return steps.stream().map(Step::took).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * {@code ready in 1.8 s: kafka 0.4 s, schemas 0.1 s, 64 connections 0.2 s, warm-up 1.1 s (2,000
     * calls)}, and {@code ; time 0 at 4.2 s after launch} when the launch is known; called at time
     * 0.
     */
    public synchronized String line() {
        return "ready in "
                + seconds(total())
                + (steps.isEmpty()
                        ? ""
                        : ": "
                                + steps.stream()
                                        .map(Step::describe)
                                        .collect(Collectors.joining(", ")))
                + (launchedBefore == null
                        ? ""
                        : "; time 0 at " + seconds(sinceLaunch()) + " after launch");
    }

    /** Time since the process was launched, if known, or since this was made. */
    public Duration sinceLaunch() {
        Duration sinceCreated = Duration.ofNanos(nanoClock.getAsLong() - createdNanos);
        return launchedBefore == null ? sinceCreated : launchedBefore.plus(sinceCreated);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
