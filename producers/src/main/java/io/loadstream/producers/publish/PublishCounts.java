package io.loadstream.producers.publish;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of a {@link Publisher}, of request events: every event is counted once as sent and
 * ends as acknowledged, failed or dropped; until then it is pending. Safe to update from the
 * schedule's thread, a sender thread and the producer's callbacks at once.
 */
final class PublishCounts {

    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    void sent() {
        sent.increment();
    }

    void acknowledged(long events) {
        acknowledged.add(events);
    }

    /** {@code events} the producer gave up on, or refused, because of {@code cause}. */
    void failed(long events, Throwable cause) {
        failed.add(events);
        firstFailure.compareAndSet(
                null, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    void dropped(long events) {
        dropped.add(events);
    }

    long sentCount() {
        return sent.sum();
    }

    long acknowledgedCount() {
        return acknowledged.sum();
    }

    long failedCount() {
        return failed.sum();
    }

    long droppedCount() {
        return dropped.sum();
    }

    /** Sent and not yet acknowledged, failed or dropped. */
    long pending() {
        // read the outcomes before sent, so that an event that ends meanwhile is never negative
        long ended = acknowledged.sum() + failed.sum() + dropped.sum();
        return Math.max(0, sent.sum() - ended);
    }

    Optional<String> firstFailure() {
        return Optional.ofNullable(firstFailure.get());
    }
}
