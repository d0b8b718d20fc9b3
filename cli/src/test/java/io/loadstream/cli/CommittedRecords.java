package io.loadstream.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a whole topic as a {@code read_committed} consumer sees it, from the beginning to the last
 * stable offset of every partition at the time of the call: records of aborted transactions (a
 * killed exactly-once producer's) are never returned, records of open ones not yet.
 */
final class CommittedRecords {

    private CommittedRecords() {}

    /**
     * Every committed record of {@code topic}, in order within each partition.
     *
     * @param consumerConfig connection settings; group and offset settings are ignored
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     */
    static <K, V> List<ConsumerRecord<K, V>> readToEnd(
            Map<String, Object> consumerConfig,
            Deserializer<K> keys,
            Deserializer<V> values,
            String topic,
            Duration timeout) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // under read_committed these are the last stable offsets
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "did not read " + topic + " to " + ends + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static boolean reachedEnd(
            KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream()
                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** The latest value of every key, as compaction would leave it. */
    static <K, V> Map<K, V> latestByKey(List<ConsumerRecord<K, V>> records) {
        Map<K, V> latest = new HashMap<>();
        records.forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }
}
