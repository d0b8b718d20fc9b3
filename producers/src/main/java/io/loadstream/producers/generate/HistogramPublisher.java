package io.loadstream.producers.generate;

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
 * <p>{@link #publishDue()} is called by the caller's timer (once a second), never by {@link
 * #publish}, so the schedule never waits for Kafka.
 */
public final class HistogramPublisher implements TimingSink, AutoCloseable {

    private final Producer<SeriesKey, IntervalHistogram> producer;
    private final String topic;
    private final long intervalUs;
    private final long graceUs;
    private final LongSupplier epochMicros;
    private final Map<Partial, LatencyAggregate> open = new HashMap<>();
    private final LongAdder events = new LongAdder();
    private final LongAdder intervals = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    /** One endpoint's interval. */
    private record Partial(SeriesKey key, long startUs) {}

    /**
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
        events.increment();
        SeriesKey key =
                new SeriesKey(
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId());
        long start = Math.floorDiv(timing.getIntendedSendTimeUs(), intervalUs) * intervalUs;
        open.computeIfAbsent(new Partial(key, start), p -> LatencyAggregate.empty()).record(timing);
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
                                acknowledged.increment();
                            } else {
                                recordFailure(e);
                            }
                        });
            } catch (RuntimeException e) {
                recordFailure(e);
            }
        }
    }

    /** Request events aggregated so far. */
    public long events() {
        return events.sum();
    }

    /** Interval histograms handed to the producer. */
    public long intervals() {
        return intervals.sum();
    }

    public long acknowledged() {
        return acknowledged.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public Optional<String> firstFailure() {
        return Optional.ofNullable(firstFailure.get());
    }

    /** Publishes every interval still open, then closes the producer. */
    @Override
    public void close() {
        send(take(Long.MAX_VALUE));
        producer.close(Duration.ofSeconds(30));
    }

    private void recordFailure(Exception e) {
        failed.increment();
        firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
