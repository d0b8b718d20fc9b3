package io.loadstream.consumers;

import io.loadstream.schemas.topic.Topic;
import io.loadstream.testing.TestPipeline;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to one topic of a {@link TestPipeline} in transactions, as {@code analyze} writes
 * its results under exactly-once, committed or aborted; a null value is a tombstone.
 */
public final class TransactionalWriter<K, V> implements AutoCloseable {

    /** One record to write. */
    public record Put<K, V>(K key, V value) {}

    private final KafkaProducer<K, V> producer;
    private final String topic;

    public TransactionalWriter(TestPipeline pipeline, Topic<K, V> topic) {
        Map<String, Object> config = pipeline.clientConfig().producer();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-results-" + pipeline.newPrefix());
        this.producer =
                new KafkaProducer<>(
                        config,
                        pipeline.serdes().keySerde(topic).serializer(),
                        pipeline.serdes().valueSerde(topic).serializer());
        this.topic = topic.name();
        producer.initTransactions();
    }

    public static <K, V> Put<K, V> put(K key, V value) {
        return new Put<>(key, value);
    }

    /** Writes {@code records} in one transaction and commits it. */
    @SafeVarargs
    public final void commit(Put<K, V>... records) {
        send(records);
        producer.commitTransaction();
    }

    /** Writes {@code records} in one transaction, flushes them to the broker, then aborts it. */
    @SafeVarargs
    public final void abort(Put<K, V>... records) {
        send(records);
        producer.flush();
        producer.abortTransaction();
    }

    private void send(Put<K, V>[] records) {
        producer.beginTransaction();
        for (Put<K, V> record : records) {
            producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
