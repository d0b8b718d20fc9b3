package io.loadstream.analytics;

import static org.awaitility.Awaitility.await;

import io.loadstream.schemas.config.ClientConfig;
import java.time.Duration;
import java.util.ArrayList;
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
 * integration tests that wait for an outcome and then check everything that led to it. Reads with
 * {@code read_committed}, so exactly-once output is never seen half-written.
 */
final class CommittedRecords<K, V> implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<K, V> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<K, V>> records = new ArrayList<>();

    CommittedRecords(
            ClientConfig clientConfig, String topic, Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> config = clientConfig.consumer("it-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(config, keys, values);
        partitions =
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what was committed since the last call; returns every record read so far. */
    List<ConsumerRecord<K, V>> poll() {
        consumer.poll(POLL).forEach(records::add);
        return records;
    }

    /**
     * Reads up to the end of every partition as it is now (the last stable offset: what is
     * committed); returns every record read so far.
     */
    List<ConsumerRecord<K, V>> readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        await().atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () -> {
                            poll();
                            return end.entrySet().stream()
                                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                        });
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
