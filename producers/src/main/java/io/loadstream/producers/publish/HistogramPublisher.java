package io.loadstream.producers.publish;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.schemas.histogram.LatencyAggregate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes one {@link IntervalHistogram} per endpoint and interval (one second by default) instead
 * of one event per request: {@code --publish histograms}. Events are aggregated by their intended
 * send time; an interval is published once the clock has passed its end by the grace period, so
 * that requests still in flight at its end are included. An event for an interval already published
 * starts a second partial for it: partials merge downstream without loss.
 *
 * <p>{@link #tick()} (or {@link #publishDue()}) is called by the caller's timer, once a second,
 * never by {@link #publish}, so the schedule never waits for Kafka. Counts are of request events:
 * an event is acknowledged or failed with the histogram that holds it.
 */
public final class HistogramPublisher implements Publisher {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<SeriesKey, IntervalHistogram> producer;
    private final String topic;
    private final long intervalUs;
    private final long graceUs;
    private final LongSupplier epochMicros;
    private final Map<Partial, LatencyAggregate> open = new HashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder intervals = new LongAdder();
    private final LongAdder intervalsAcknowledged = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private boolean closed;

    /** One endpoint's interval. */
    private record Partial(SeriesKey key, long startUs) {}

    /**
     * @param producer sends the histograms; closed by {@link #close()}
     * @param epochMicros the wall clock, microseconds since the epoch
     */
    public HistogramPublisher(
            Producer<SeriesKey, IntervalHistogram> producer,
            String topic,
            Duration interval,
            Duration grace,
            LongSupplier epochMicros) {
        this.producer = producer;
        this.topic = topic;
        this.intervalUs = interval.toNanos() / 1000;
        this.graceUs = grace.toNanos() / 1000;
        this.epochMicros = epochMicros;
    }

    @Override
    public synchronized void publish(RequestTiming timing) {
        sent.increment();
        if (closed) {
            dropped.increment();
            return;
        }
        SeriesKey key =
                new SeriesKey(
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId());
        long start = Math.floorDiv(timing.getIntendedSendTimeUs(), intervalUs) * intervalUs;
        open.computeIfAbsent(new Partial(key, start), p -> LatencyAggregate.empty()).record(timing);
    }

    /** {@link #publishDue()}. */
    @Override
    public void tick() {
        publishDue();
    }

    /** Publishes every interval whose end is more than the grace period ago. */
    public void publishDue() {
        send(take(epochMicros.getAsLong() - graceUs));
    }

    private synchronized List<Map.Entry<Partial, LatencyAggregate>> take(long endedBeforeUs) {
        List<Map.Entry<Partial, LatencyAggregate>> due = new ArrayList<>();
        Iterator<Map.Entry<Partial, LatencyAggregate>> all = open.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<Partial, LatencyAggregate> entry = all.next();
            if (entry.getKey().startUs() + intervalUs <= endedBeforeUs) {
                due.add(entry);
                all.remove();
            }
        }
        return due;
    }

    private void send(List<Map.Entry<Partial, LatencyAggregate>> due) {
        for (Map.Entry<Partial, LatencyAggregate> entry : due) {
            SeriesKey key = entry.getKey().key();
            long start = entry.getKey().startUs();
            long events = entry.getValue().count();
            IntervalHistogram partial =
                    entry.getValue()
                            .toIntervalHistogram(
                                    key.getRunId(),
                                    key.getScenario(),
                                    key.getEndpoint(),
                                    key.getGeneratorId(),
                                    start,
                                    start + intervalUs);
            intervals.increment();
            try {
                producer.send(
                        new ProducerRecord<>(topic, null, start / 1000, key, partial),
                        (metadata, e) -> {
                            if (e == null) {
                                acknowledged.add(events);
                                intervalsAcknowledged.increment();
                            } else {
                                recordFailure(e, events);
                            }
                        });
            } catch (RuntimeException e) {
                recordFailure(e, events);
            }
        }
    }

    @Override
    public long sent() {
        return sent.sum();
    }

    @Override
    public long acknowledged() {
        return acknowledged.sum();
    }

    @Override
    public long failed() {
        return failed.sum();
    }

    /** Events published after the publisher was closed. */
    @Override
    public long dropped() {
        return dropped.sum();
    }

    /** Interval histograms handed to the producer. */
    public long intervals() {
        return intervals.sum();
    }

    /** Interval histograms the broker has acknowledged. */
    public long intervalsAcknowledged() {
        return intervalsAcknowledged.sum();
    }

    @Override
    public Optional<String> firstFailure() {
        return Optional.ofNullable(firstFailure.get());
    }

    @Override
    public String status() {
        return "histograms " + intervals();
    }

    /** Publishes every interval still open, waits for the broker's answers, then closes. */
    @Override
    public void finish(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        send(take(Long.MAX_VALUE));
        try {
            while (pending() > 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /**
     * Publishes every interval still open, then closes the producer, waiting at most 30 s: a
     * histogram the broker has not acknowledged by then counts its events as failed.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        send(take(Long.MAX_VALUE));
        producer.close(CLOSE_TIMEOUT);
    }

    private void recordFailure(Exception e, long events) {
        failed.add(events);
        firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
