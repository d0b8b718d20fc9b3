package io.loadstream.consumers.alerts.forward;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes the {@code alerts} records that the forwarder cannot deliver to {@code dead-letters}, as
 * they were, with the reason in headers under the names {@code analyze} uses ({@code
 * loadstream.dead-letter.reason}, {@code .detail}, {@code .source-topic}, {@code
 * .source-partition}, {@code .source-offset}, {@code .processor}), so one reader of dead letters
 * reads both. Each write is acknowledged before it returns, so that the forwarder commits past a
 * record only once its dead letter is stored.
 */
public final class ForwardDeadLetters implements AutoCloseable {

    /** Header names, as {@code analyze}'s dead-letter handlers write them. */
    public static final String REASON = "loadstream.dead-letter.reason";

    public static final String DETAIL = "loadstream.dead-letter.detail";
    public static final String SOURCE_TOPIC = "loadstream.dead-letter.source-topic";
    public static final String SOURCE_PARTITION = "loadstream.dead-letter.source-partition";
    public static final String SOURCE_OFFSET = "loadstream.dead-letter.source-offset";
    public static final String PROCESSOR = "loadstream.dead-letter.processor";

    /** The receiver refused the alert with a 4xx that a retry cannot change. */
    public static final String REJECTED = "rejected-by-receiver";

    /** The record is not an alert that can be read. */
    public static final String UNREADABLE = "unreadable";

    /** The processor header of the forwarder's dead letters. */
    public static final String FORWARDER = "alerts-forward";

    private static final int MAX_DETAIL_LENGTH = 500;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private long written;

    public ForwardDeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * Writes {@code record} with {@code reason} and {@code detail}, and waits until it is stored.
     */
    public void write(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
        Headers headers = new RecordHeaders();
        add(headers, REASON, reason);
        add(
                headers,
                DETAIL,
                detail.length() > MAX_DETAIL_LENGTH
                        ? detail.substring(0, MAX_DETAIL_LENGTH)
                        : detail);
        add(headers, SOURCE_TOPIC, record.topic());
        add(headers, SOURCE_PARTITION, Integer.toString(record.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(record.offset()));
        add(headers, PROCESSOR, FORWARDER);
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
                    .get();
            written++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while writing a dead letter to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot write a dead letter to " + topic + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Dead letters written so far. */
    public long written() {
        return written;
    }

    @Override
    public void close() {
        producer.close();
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
