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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes one {@link IntervalHistogram} per endpoint and interval (one second by default) instead
 * of one event per request: {@code --publish histograms}. Events are aggregated by their intended
 * send time; an interval is published once the clock has passed its end by the grace period, so
 * that requests still in flight at its end are included. An event for an interval already published
 * starts a second partial for it: partials merge downstream without loss. Warm-up events go into
 * partials of their own, marked {@code warmup}, so that analyze can count them apart.
 *
 * <p>{@link #tick()} (or {@link #publishDue()}) is called by the caller's timer, once a second,
 * never by {@link #publish}. It only takes the intervals that are due: a sender thread of the
 * publisher's own hands them to the producer, so neither the schedule nor its timer waits for Kafka
 * while it is away. Counts are of request events: an event is acknowledged or failed with the
 * histogram that holds it, and dropped when the publisher closes before its histogram reached the
 * producer.
 */
public final class HistogramPublisher implements Publisher {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<SeriesKey, IntervalHistogram> producer;
    private final String topic;
    private final long intervalUs;
    private final long graceUs;
    private final LongSupplier epochMicros;
    private final Map<Partial, LatencyAggregate> open = new HashMap<>();
    private final ExecutorService sender =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "histogram-publisher");
                        t.setDaemon(true);
                        return t;
                    });
    private final PublishCounts counts = new PublishCounts();
    private final LongAdder intervals = new LongAdder();
    private final LongAdder intervalsAcknowledged = new LongAdder();
    private boolean closed;
    private volatile RunEnd end;
    private volatile boolean endAcknowledged;

    /** One endpoint's interval, of the warm-up or of the run proper. */
    private record Partial(SeriesKey key, long startUs, boolean warmup) {}

    /** Intervals taken at one tick, sent together by the sender thread. */
    private final class DueIntervals implements Runnable {
        private final List<Map.Entry<Partial, LatencyAggregate>> due;

        DueIntervals(List<Map.Entry<Partial, LatencyAggregate>> due) {
            this.due = due;
        }

        long events() {
            return due.stream().mapToLong(e -> e.getValue().count()).sum();
        }

        @Override
        public void run() {
            due.forEach(HistogramPublisher.this::send);
        }
    }

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
        counts.sent();
        if (closed) {
            counts.dropped(1);
            return;
        }
        SeriesKey key =
                new SeriesKey(
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId());
        long start = Math.floorDiv(timing.getIntendedSendTimeUs(), intervalUs) * intervalUs;
        open.computeIfAbsent(
                        new Partial(key, start, timing.getWarmup()), p -> LatencyAggregate.empty())
                .record(timing);
    }

    @Override
    public void endWith(RunEnd end) {
        this.end = end;
    }

    @Override
    public boolean endAcknowledged() {
        return endAcknowledged;
    }

    /** {@link #publishDue()}. */
    @Override
    public void tick() {
        publishDue();
    }

    /**
     * Hands every interval whose end is more than the grace period ago to the sender thread; never
     * waits for Kafka.
     */
    public void publishDue() {
        submit(take(epochMicros.getAsLong() - graceUs));
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

    private void submit(List<Map.Entry<Partial, LatencyAggregate>> due) {
        if (due.isEmpty()) {
            return;
        }
        DueIntervals task = new DueIntervals(due);
        try {
            sender.execute(task);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: these histograms never reach the producer
            counts.dropped(task.events());
        }
    }

    private void send(Map.Entry<Partial, LatencyAggregate> entry) {
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
        partial.setWarmup(entry.getKey().warmup());
        intervals.increment();
        try {
            producer.send(
                    new ProducerRecord<>(topic, null, start / 1000, key, partial),
                    (metadata, e) -> {
                        if (e == null) {
                            counts.acknowledged(events);
                            intervalsAcknowledged.increment();
                        } else {
                            counts.failed(events, e);
                        }
                    });
        } catch (RuntimeException e) {
            counts.failed(events, e);
        }
    }

    @Override
    public long sent() {
        return counts.sentCount();
    }

    @Override
    public long acknowledged() {
        return counts.acknowledgedCount();
    }

    @Override
    public long failed() {
        return counts.failedCount();
    }

    /**
     * Events published after the publisher was closed, or whose histogram was still waiting for the
     * sender thread when closing ran out of time.
     */
    @Override
    public long dropped() {
        return counts.droppedCount();
    }

    @Override
    public long pending() {
        return counts.pending();
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
        return counts.firstFailure();
    }

    @Override
    public String status() {
        return "histograms " + intervals();
    }

    /**
     * Publishes every interval still open and waits for the broker's answers, then closes with what
     * is left of {@code timeout}.
     */
    @Override
    public long finish(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        submit(take(Long.MAX_VALUE));
        EndMarkerAcks acks = submitEnd();
        try {
            while (pending() > 0 && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long unanswered = pending();
        if (acks != null) {
            endAcknowledged = acks.await(deadline);
        }
        closeWithin(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return unanswered;
    }

    /**
     * Hands the end markers, if any, to the sender thread after the last intervals, so that each
     * follows its series' last interval on its partition.
     *
     * @return their answers, or null when there are none to send
     */
    private EndMarkerAcks submitEnd() {
        RunEnd marked = end;
        if (marked == null) {
            return null;
        }
        long nowUs = epochMicros.getAsLong();
        long startUs = Math.floorDiv(nowUs, intervalUs) * intervalUs;
        EndMarkerAcks acks = new EndMarkerAcks(marked.endpoints().size());
        Runnable send =
                () -> {
                    for (SeriesKey series : marked.series()) {
                        try {
                            producer.send(
                                    new ProducerRecord<>(
                                            topic,
                                            null,
                                            startUs / 1000,
                                            series,
                                            marked.histogramMarker(series, startUs, intervalUs)),
                                    acks);
                        } catch (RuntimeException e) {
                            acks.onCompletion(null, e);
                        }
                    }
                };
        try {
            sender.execute(send);
        } catch (RejectedExecutionException e) {
            return null;
        }
        return acks;
    }

    /**
     * Publishes every interval still open, then closes the producer, waiting at most 30 s: a
     * histogram the broker has not acknowledged by then counts its events as failed, one that never
     * reached the producer as dropped.
     */
    @Override
    public void close() {
        closeWithin(CLOSE_TIMEOUT);
    }

    private void closeWithin(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        submit(take(Long.MAX_VALUE));
        sender.shutdown();
        try {
            if (!sender.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS)) {
                for (Runnable waiting : sender.shutdownNow()) {
                    if (waiting instanceof DueIntervals due) {
                        counts.dropped(due.events());
                    }
                }
                // the histogram being sent, if any, fails with the interrupt or the close below
                sender.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
}
