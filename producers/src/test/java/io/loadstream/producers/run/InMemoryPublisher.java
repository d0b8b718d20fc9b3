package io.loadstream.producers.run;

import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.publish.Publisher;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publisher that keeps the events in memory. Everything is pending until {@link #finish}, which
 * acknowledges every event but each {@code failEvery}-th, which it fails, and the last {@link
 * #unanswered} ones, which it fails as if Kafka had not answered for them in time.
 */
final class InMemoryPublisher implements Publisher {

    final List<RequestTiming> events = new CopyOnWriteArrayList<>();
    final AtomicLong rehearsed = new AtomicLong();
    final int failEvery;
    int ticks;
    Duration finishedWithin;
    long unanswered;
    boolean closed;
    private long acknowledged;
    private long failed;

    /**
     * @param failEvery fail every n-th event on finish; 0 for none
     */
    InMemoryPublisher(int failEvery) {
        this.failEvery = failEvery;
    }

    @Override
    public void publish(RequestTiming timing) {
        events.add(timing);
    }

    @Override
    public void rehearse(RequestTiming timing) {
        rehearsed.incrementAndGet();
    }

    @Override
    public void tick() {
        ticks++;
    }

    @Override
    public long sent() {
        return events.size();
    }

    @Override
    public long acknowledged() {
        return acknowledged;
    }

    @Override
    public long failed() {
        return failed;
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public Optional<String> firstFailure() {
        return failed == 0 ? Optional.empty() : Optional.of("TestException: refused");
    }

    @Override
    public String status() {
        return "in memory";
    }

    @Override
    public long finish(Duration timeout) {
        finishedWithin = timeout;
        failed = (failEvery == 0 ? 0 : events.size() / failEvery) + unanswered;
        acknowledged = events.size() - failed;
        close();
        return unanswered;
    }

    @Override
    public void close() {
        closed = true;
    }
}
