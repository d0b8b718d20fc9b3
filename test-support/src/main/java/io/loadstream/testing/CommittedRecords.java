package io.loadstream.testing;

import io.loadstream.schemas.config.ClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Every committed record of one topic, read from the beginning of all its partitions and kept, for
 * tests that wait for an outcome and then check everything that led to it. Reads with {@code
 * read_committed}: records of aborted transactions (a killed exactly-once producer's) are never
 * returned, records of open ones not yet.
 *
 * <pre>{@code
 * try (CommittedRecords<RunKey, WindowStats> summaries = pipeline.committed(topics.runSummaries())) {
 *     await().atMost(Duration.ofMinutes(1)).until(() -> counted(summaries.poll()) == sent);
 *     Map<RunKey, WindowStats> latest = CommittedRecords.latestByKey(summaries.readToEnd(timeout));
 * }
 * }</pre>
 */
public final class CommittedRecords<K, V> implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<K, V> consumer;
    private final String topic;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<K, V>> records = new ArrayList<>();

    public CommittedRecords(
            ClientConfig clientConfig, String topic, Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> config = clientConfig.consumer("it-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(config, keys, values);
        this.topic = topic;
        this.partitions =
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what was committed since the last call; returns every record read so far. */
    public List<ConsumerRecord<K, V>> poll() {
        consumer.poll(POLL).forEach(records::add);
        return records;
    }

    /**
     * Reads up to the end of every partition as it is now (under {@code read_committed}, the last
     * stable offset); returns every record read so far.
     *
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     */
    public List<ConsumerRecord<K, V>> readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "did not read " + topic + " to " + end + " within " + timeout);
            }
            poll();
        }
        return records;
    }

    /** Every record read so far, without reading more. */
    public List<ConsumerRecord<K, V>> records() {
        return records;
    }

    /** The latest value of every key, as compaction would leave it. */
    public static <K, V> Map<K, V> latestByKey(List<ConsumerRecord<K, V>> records) {
        Map<K, V> latest = new HashMap<>();
        records.forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
