package io.loadstream.consumers;

import static org.awaitility.Awaitility.await;

import io.loadstream.schemas.topic.Topic;
import io.loadstream.testing.TestPipeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes records to one topic of a {@link TestPipeline} in transactions, as {@code analyze} writes
 * its results under exactly-once, committed or aborted; a null value is a tombstone.
 *
 * <p>A transaction's commit returns before the broker has written its markers into the topic, and
 * until then a {@code read_committed} reader's end offsets stop short of it. Each transaction here
 * returns only once its markers are written, so that a test reads what it has just written.
 */
public final class TransactionalWriter<K, V> implements AutoCloseable {

    /** One record to write. */
    public record Put<K, V>(K key, V value) {}

    private final KafkaProducer<K, V> producer;
    private final Admin admin;
    private final String topic;
    private final List<TopicPartition> partitions;

    public TransactionalWriter(TestPipeline pipeline, Topic<K, V> topic) {
        Map<String, Object> config = pipeline.clientConfig().producer();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-results-" + pipeline.newPrefix());
        this.producer =
                new KafkaProducer<>(
                        config,
                        pipeline.serdes().keySerde(topic).serializer(),
                        pipeline.serdes().valueSerde(topic).serializer());
        this.admin = Admin.create(pipeline.clientConfig().admin());
        this.topic = topic.name();
        this.partitions =
                producer.partitionsFor(this.topic).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
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
        awaitMarkers();
    }

    /** Writes {@code records} in one transaction, flushes them to the broker, then aborts it. */
    @SafeVarargs
    public final void abort(Put<K, V>... records) {
        send(records);
        producer.flush();
        producer.abortTransaction();
        awaitMarkers();
    }

    private void send(Put<K, V>[] records) {
        producer.beginTransaction();
        for (Put<K, V> record : records) {
            producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
        }
    }

    // no transaction is open once the last stable offset has reached the end of the log
    private void awaitMarkers() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () ->
                                endOffsets(IsolationLevel.READ_COMMITTED)
                                        .equals(endOffsets(IsolationLevel.READ_UNCOMMITTED)));
    }

    private Map<TopicPartition, Long> endOffsets(IsolationLevel isolation)
            throws InterruptedException, ExecutionException {
        return admin
                .listOffsets(
                        partitions.stream()
                                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                        new ListOffsetsOptions(isolation))
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        try {
            producer.close();
        } finally {
            admin.close();
        }
    }
}
