package io.loadstream.producers.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * <p>A step that needs none of the others (the demo's analyze application, starting while the
 * generator connects and warms up) runs {@link #alongside} them, on a thread of its own; {@link
 * #awaitAlongside} waits for it before time 0. It is said in the ready line with its own time, and
 * counts in the total only for the time it was waited for.
 *
 * <pre>{@code
 * Readiness readiness = new Readiness(System::nanoTime);
 * readiness.run("schemas", () -> serdes.registerSchemas(topic));
 * Publisher publisher = readiness.get("kafka", () -> Publishers.open(...));
 * readiness.alongside("analyze", analyze::startAndAwaitRunning);
 * // GeneratorRun adds the connections and the warm-up, awaits what runs alongside, then starts
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

    /** What a step run {@link #alongside} notes after its time. */
    static final String ALONGSIDE = "alongside";

    private final LongSupplier nanoClock;
    private final List<Step> steps = new ArrayList<>();
    private final List<CompletableFuture<Step>> alongside = new ArrayList<>();
    private Duration waited = Duration.ZERO;
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

    /**
     * Starts a step named {@code name} on a thread of its own, to run beside the steps that follow;
     * {@link #awaitAlongside} waits for it.
     */
    public synchronized void alongside(String name, Runnable step) {
        Objects.requireNonNull(step, "step");
        long start = nanoClock.getAsLong();
        alongside.add(
                CompletableFuture.supplyAsync(
                        () -> {
                            step.run();
                            return new Step(
                                    name,
                                    name,
                                    Duration.ofNanos(nanoClock.getAsLong() - start),
                                    ALONGSIDE);
                        },
                        task -> {
                            Thread thread = new Thread(task, "ready-" + name);
                            thread.setDaemon(true);
                            thread.start();
                        }));
    }

    /**
     * Waits for the steps started {@link #alongside} and adds them, in the order they were started;
     * the time waited counts in the {@link #total()}. A step that failed fails this with its
     * exception.
     */
    public void awaitAlongside() {
        List<CompletableFuture<Step>> started;
        synchronized (this) {
            started = List.copyOf(alongside);
            alongside.clear();
        }
        long start = nanoClock.getAsLong();
        for (CompletableFuture<Step> step : started) {
            add(finished(step));
        }
        synchronized (this) {
            waited = waited.plusNanos(nanoClock.getAsLong() - start);
        }
    }

    private static Step finished(CompletableFuture<Step> step) {
        try {
            return step.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Adds a step timed by the caller. */
    public synchronized void add(Step step) {
        steps.add(Objects.requireNonNull(step, "step"));
    }

    /** The steps so far, in the order they ran. */
    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /**
     * The time the steps took together: those run alongside count only for the time they were
     * waited for.
     */
    public synchronized Duration total() {
        return steps.stream()
                .filter(step -> !ALONGSIDE.equals(step.note()))
                .map(Step::took)
                .reduce(waited, Duration::plus);
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
