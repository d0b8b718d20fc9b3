package io.loadstream.cli;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.publish.Publisher;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * A {@link Publisher} that also counts the outcomes of the requests whose timing events pass
 * through it, so that {@code generate} can tell a run that measured its target from one in which no
 * request succeeded, such as a target that refuses every connection: the publisher's counts are
 * about Kafka and are perfect in both.
 *
 * <pre>{@code
 * OutcomeCountingPublisher publisher = new OutcomeCountingPublisher(Publishers.open(...));
 * new GeneratorRun(plan, share, run, generator, publisher, metrics, clock).run(stop, status);
 * publisher.noRequestSucceeded().ifPresent(reason -> err.println("error: " + reason));
 * }</pre>
 */
final class OutcomeCountingPublisher implements Publisher {

    private final Publisher delegate;
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);

    OutcomeCountingPublisher(Publisher delegate) {
        this.delegate = delegate;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    @Override
    public void publish(RequestTiming timing) {
        Outcome outcome = timing.getOutcome();
        outcomes.get(outcome == null ? Outcome.OTHER : outcome).increment();
        delegate.publish(timing);
    }

    /** Requests with this outcome so far. */
    long count(Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /**
     * Why the run failed to measure its target, when there were requests and none of them
     * succeeded, for example {@code "none of the 40 requests succeeded (40 CONNECT_ERROR): is the
     * target running, and is --target-url right?"}; empty when one did, or there were none.
     */
    Optional<String> noRequestSucceeded() {
        long total = outcomes.values().stream().mapToLong(LongAdder::sum).sum();
        if (total == 0 || count(Outcome.SUCCESS) > 0) {
            return Optional.empty();
        }
        String byOutcome =
                outcomes.entrySet().stream()
                        .filter(e -> e.getValue().sum() > 0)
                        .map(e -> e.getValue().sum() + " " + e.getKey())
                        .collect(Collectors.joining(", "));
        String hint =
                count(Outcome.CONNECT_ERROR) == total
                        ? ": is the target running, and is --target-url right?"
                        : "";
        return Optional.of(
                "none of the " + total + " requests succeeded (" + byOutcome + ")" + hint);
    }

    /** Rehearses with the wrapped publisher; nothing is counted. */
    @Override
    public void rehearse(RequestTiming timing) {
        delegate.rehearse(timing);
    }

    @Override
    public void tick() {
        delegate.tick();
    }

    @Override
    public long sent() {
        return delegate.sent();
    }

    @Override
    public long acknowledged() {
        return delegate.acknowledged();
    }

    @Override
    public long failed() {
        return delegate.failed();
    }

    @Override
    public long dropped() {
        return delegate.dropped();
    }

    @Override
    public long pending() {
        return delegate.pending();
    }

    @Override
    public Optional<String> firstFailure() {
        return delegate.firstFailure();
    }

    @Override
    public String status() {
        return delegate.status();
    }

    @Override
    public long finish(Duration timeout) {
        return delegate.finish(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
