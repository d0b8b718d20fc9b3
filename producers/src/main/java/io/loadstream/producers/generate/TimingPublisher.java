package io.loadstream.producers.generate;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes timing events to the timings topic, keyed by run, scenario, endpoint and generator,
 * with the intended send time as the record timestamp (so that windows downstream follow the
 * schedule, not the moment of sending).
 *
 * <p>Sends are asynchronous and never throw: every record is counted as {@link #sent()}, then as
 * {@link #acknowledged()} or {@link #failed()} when the broker answers, or as failed at once when
 * the producer refuses it. After {@link #flush()} or {@link #close()}, {@code sent() ==
 * acknowledged() + failed()}. The first failure is kept for the report.
 *
 * <pre>{@code
 * try (TimingPublisher publisher =
 *         new TimingPublisher(config.producer(), keys.serializer(), values.serializer(), topic)) {
 *     generator.run(...);
 * }
 * }</pre>
 */
public final class TimingPublisher implements TimingSink, AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<SeriesKey, RequestTiming> producer;
    private final String topic;
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private boolean closed;

    /**
     * @param producerConfig Kafka producer properties, for example {@code ClientConfig.producer()}
     * @param topic the timings topic
     */
    public TimingPublisher(
            Map<String, Object> producerConfig,
            Serializer<SeriesKey> keySerializer,
            Serializer<RequestTiming> valueSerializer,
            String topic) {
        this(new KafkaProducer<>(producerConfig, keySerializer, valueSerializer), topic);
    }

    /** Publishes with {@code producer}, which this publisher closes; for tests. */
    TimingPublisher(Producer<SeriesKey, RequestTiming> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void publish(RequestTiming timing) {
        sent.increment();
        SeriesKey key =
                new SeriesKey(
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId());
        long timestampMs = timing.getIntendedSendTimeUs() / 1_000;
        try {
            producer.send(
                    new ProducerRecord<>(topic, null, timestampMs, key, timing),
                    (metadata, exception) -> {
                        if (exception == null) {
                            acknowledged.increment();
                        } else {
                            recordFailure(exception);
                        }
                    });
        } catch (RuntimeException e) {
            // serialization errors, a closed producer, a full buffer past max.block.ms
            recordFailure(e);
        }
    }

    /**
     * Fetches the topic's metadata now, so that the first {@link #publish} of a schedule does not
     * block on it.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if the topic cannot be found within
     *     the producer's {@code max.block.ms}
     */
    public void awaitMetadata() {
        producer.partitionsFor(topic);
    }

    /** Records handed to {@link #publish}. */
    public long sent() {
        return sent.sum();
    }

    /** Records the broker has acknowledged. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Records that could not be sent or were not acknowledged. */
    public long failed() {
        return failed.sum();
    }

    /** The first failure, as exception type and message, if any record failed. */
    public Optional<String> firstFailure() {
        return Optional.ofNullable(firstFailure.get());
    }

    /**
     * Waits until every record sent so far is acknowledged or failed (at most the producer's {@code
     * delivery.timeout.ms}).
     */
    public void flush() {
        producer.flush();
    }

    /**
     * Sends what is pending and closes the producer, waiting at most 30 s: records the broker has
     * not acknowledged by then are counted as failed, so that closing cannot hang on a broker that
     * is gone.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            producer.close(CLOSE_TIMEOUT);
        }
    }

    private void recordFailure(Exception e) {
        failed.increment();
        firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
