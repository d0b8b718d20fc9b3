package io.loadstream.producers.publish;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes timing events to the timings topic without ever stalling the schedule that makes them.
 * {@link #publish} only puts the event in a bounded buffer; sending threads ({@value
 * #DEFAULT_SENDERS} by default, each a {@link TimingSender}) take events from it in batches and
 * hand them to one idempotent producer, which keeps retrying while Kafka is away. When Kafka is
 * slow or down, events wait in the buffer (and up to {@value TimingSender#BATCH_EVENTS} more in
 * each sender's hand) and in the producer, and are delivered when it returns; once the buffer is
 * full, new events are dropped and counted, never silently lost.
 *
 * <p>Every event is counted once as {@link #sent()}, and ends as {@link #acknowledged()}, {@link
 * #failed()} (the producer gave up on it) or {@link #dropped()} (no room in the buffer, or still
 * unsent when the publisher was closed): after {@link #close()}, {@code sent = acknowledged +
 * failed + dropped}, whichever way it ends: a broker that never returns costs at most the close
 * timeout, after which what it has not acknowledged is counted as failed.
 *
 * <p>Records are keyed by run, scenario, endpoint and generator, with the intended send time as the
 * record timestamp, so windows downstream follow the schedule. With more than one sender, events a
 * few milliseconds apart may reach a partition out of order, as events of several generators do.
 *
 * <pre>{@code
 * try (TimingPublisher publisher =
 *         new TimingPublisher(config.producer(), keys.serializer(), values.serializer(), topic)) {
 *     execution.run(...);
 *     publisher.flush(Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * <p>{@link Publishers#open} makes one with its schemas registered and its topic's metadata
 * fetched.
 */
public final class TimingPublisher implements Publisher {

    /**
     * Events the buffer holds unless configured otherwise: five seconds at 200,000 events/s, so
     * that a generator whose sending is slow for its first seconds (a cold JVM compiling the
     * producer's code on a busy machine) loses nothing. A buffered event takes about 100 bytes.
     */
    public static final int DEFAULT_BUFFER_EVENTS = 1_000_000;

    /** How long the producer keeps retrying an event while Kafka is unreachable. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(10);

    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SENDER_STOP_TIMEOUT = Duration.ofSeconds(5);

    /** Sending threads unless configured otherwise. */
    public static final int DEFAULT_SENDERS = 2;

    private final Duration closeTimeout;
    private final Producer<SeriesKey, RequestTiming> producer;
    private Serializer<SeriesKey> rehearsalKeys;
    private Serializer<RequestTiming> rehearsalValues;
    private final String topic;
    private final BlockingQueue<RequestTiming> buffer;
    private final List<Thread> senders = new ArrayList<>();
    private final PublishCounts counts = new PublishCounts();

    private volatile RunEnd end;
    private volatile boolean endAcknowledged;
    private volatile boolean closing;
    private volatile long drainDeadlineNanos = Long.MAX_VALUE;
    private boolean closed;

    /** A publisher with the default buffer of {@value #DEFAULT_BUFFER_EVENTS} events. */
    public TimingPublisher(
            Map<String, Object> producerConfig,
            Serializer<SeriesKey> keySerializer,
            Serializer<RequestTiming> valueSerializer,
            String topic) {
        this(producerConfig, keySerializer, valueSerializer, topic, DEFAULT_BUFFER_EVENTS);
    }

    /**
     * @param producerConfig Kafka producer properties, for example {@code ClientConfig.producer()};
     *     {@code delivery.timeout.ms} defaults to 10 minutes here, so the producer rides out a
     *     Kafka outage
     * @param bufferEvents events that may wait for Kafka before new ones are dropped
     */
    public TimingPublisher(
            Map<String, Object> producerConfig,
            Serializer<SeriesKey> keySerializer,
            Serializer<RequestTiming> valueSerializer,
            String topic,
            int bufferEvents) {
        this(
                new KafkaProducer<>(
                        withOutageDefaults(producerConfig),
                        new RepeatedKeySerializer(keySerializer),
                        valueSerializer),
                topic,
                bufferEvents,
                DEFAULT_SENDERS,
                DEFAULT_CLOSE_TIMEOUT);
        this.rehearsalKeys = keySerializer;
        this.rehearsalValues = valueSerializer;
    }

    /**
     * Publishes with {@code producer}, which this publisher closes, from {@code senderThreads}
     * threads; for tests.
     */
    TimingPublisher(
            Producer<SeriesKey, RequestTiming> producer,
            String topic,
            int bufferEvents,
            int senderThreads,
            Duration closeTimeout) {
        if (bufferEvents < 1) {
            throw new IllegalArgumentException(
                    "the buffer must hold at least 1 event, not " + bufferEvents);
        }
        if (senderThreads < 1) {
            throw new IllegalArgumentException(
                    "a publisher needs at least 1 sending thread, not " + senderThreads);
        }
        this.producer = producer;
        this.topic = topic;
        this.closeTimeout = closeTimeout;
        this.buffer = new ArrayBlockingQueue<>(bufferEvents);
        for (int i = 0; i < senderThreads; i++) {
            TimingSender sender =
                    new TimingSender(
                            producer,
                            topic,
                            buffer,
                            counts,
                            () -> closing,
                            () -> drainDeadlineNanos);
            Thread thread = new Thread(sender, "timing-publisher-" + i);
            thread.setDaemon(true);
            senders.add(thread);
        }
        senders.forEach(Thread::start);
    }

    /**
     * {@code config} with the settings a generator's producer needs to ride out a Kafka outage
     * unless given: a delivery timeout of {@link #DEFAULT_DELIVERY_TIMEOUT}, and sends that come
     * back within a second, so that neither the sender nor closing is stuck behind one.
     */
    static Map<String, Object> withOutageDefaults(Map<String, Object> config) {
        Map<String, Object> props = new HashMap<>(config);
        props.putIfAbsent(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) DEFAULT_DELIVERY_TIMEOUT.toMillis());
        // send() must come back soon while Kafka is away, so that closing is never stuck behind it
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        return props;
    }

    /** Buffers one event for sending; never blocks. */
    @Override
    public void publish(RequestTiming timing) {
        counts.sent();
        if (closing || !buffer.offer(timing)) {
            counts.dropped(1);
        }
    }

    /** Serializes the event's key and value as a send would, once, and sends nothing. */
    @Override
    public void rehearse(RequestTiming timing) {
        if (rehearsalKeys == null) {
            return;
        }
        rehearsalKeys.serialize(
                topic,
                new SeriesKey(
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId()));
        rehearsalValues.serialize(topic, timing);
    }

    /**
     * Fetches the topic's metadata now, so that the first events of a schedule do not wait for it.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if the topic cannot be found
     */
    public void awaitMetadata() {
        producer.partitionsFor(topic);
    }

    @Override
    public void endWith(RunEnd end) {
        this.end = end;
    }

    /** Nothing to do: the sending threads send as events come. */
    @Override
    public void tick() {}

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

    /** Events dropped because the buffer was full, or still unsent when the publisher closed. */
    @Override
    public long dropped() {
        return counts.droppedCount();
    }

    /** Events waiting in the buffer or in the producer for Kafka. */
    @Override
    public long pending() {
        return counts.pending();
    }

    @Override
    public Optional<String> firstFailure() {
        return counts.firstFailure();
    }

    /**
     * Waits until every event published so far has been handed to the producer and acknowledged or
     * failed, or until {@code timeout} passes. It does not call the producer's {@code flush()},
     * which waits for the broker without a bound: the producer sends its batches after {@code
     * linger.ms} on its own.
     *
     * @return whether nothing is pending any more
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (pending() > 0 && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pending() == 0;
    }

    @Override
    public String status() {
        return "unpublished " + pending() + "  publish-dropped " + dropped();
    }

    /**
     * {@link #flush(Duration)}, then closes with what is left of {@code timeout}: once it has
     * passed, the producer is closed at once and what Kafka has not answered is counted.
     */
    @Override
    public long finish(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        flush(timeout);
        long unanswered = pending();
        publishEnd(deadline);
        closeWithin(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return unanswered;
    }

    /**
     * Sends the end markers, if any, straight to the producer after every event (the senders have
     * handed over all they had), so that each follows its series' last event on its partition, and
     * waits for their answers until {@code deadlineNanos}.
     */
    private void publishEnd(long deadlineNanos) {
        RunEnd marked = end;
        if (marked == null || closed) {
            return;
        }
        long nowUs = System.currentTimeMillis() * 1000;
        EndMarkerAcks acks = new EndMarkerAcks(marked.endpoints().size());
        for (SeriesKey series : marked.series()) {
            try {
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                nowUs / 1000,
                                series,
                                marked.timingMarker(series, nowUs)),
                        acks);
            } catch (RuntimeException e) {
                acks.onCompletion(null, e);
            }
        }
        endAcknowledged = acks.await(deadlineNanos);
    }

    /** Whether Kafka acknowledged every end marker {@link #finish} published. */
    @Override
    public boolean endAcknowledged() {
        return endAcknowledged;
    }

    /** {@link #flush(Duration)} with a bound of two minutes. */
    public boolean flush() {
        return flush(Duration.ofMinutes(2));
    }

    /**
     * Sends what is buffered and closes the producer, waiting at most 30 s: events still in the
     * buffer then are counted as dropped, events the broker has not acknowledged as failed, so
     * closing cannot hang on a broker that is gone.
     */
    @Override
    public void close() {
        closeWithin(closeTimeout);
    }

    private synchronized void closeWithin(Duration bound) {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + bound.toNanos();
        drainDeadlineNanos = deadline;
        closing = true;
        try {
            for (Thread sender : senders) {
                sender.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            // past the deadline a sender stops at its next event; an interrupt ends a wait for
            // Kafka, and the sender counts the events in its hand before it ends
            senders.forEach(Thread::interrupt);
            for (Thread sender : senders) {
                sender.join(SENDER_STOP_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (buffer.poll() != null) {
            counts.dropped(1);
        }
        // a zero timeout closes the producer at once: it fails what the broker has not answered
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
}
