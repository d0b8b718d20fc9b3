package io.loadstream.bench.analyzed;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows the run summaries of one run from the beginning of the compacted {@code run-summaries}
 * topic, committed records only, keeping the latest summary of each endpoint: their counts add up
 * to the requests of the run that {@code analyze} has counted so far.
 */
final class RunSummaryTail implements AutoCloseable {

    private final KafkaConsumer<RunKey, WindowStats> consumer;
    private final String runId;
    private final Map<RunKey, Long> counts = new HashMap<>();

    RunSummaryTail(
            ClientConfig config, AvroSerdes serdes, Topic<RunKey, WindowStats> topic, String run) {
        Map<String, Object> props = config.consumer("loadstream-bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(
                        props,
                        serdes.keySerde(topic).deserializer(),
                        serdes.valueSerde(topic).deserializer());
        this.runId = run;
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException(
                    "topic " + topic.name() + " does not exist: create the topics first");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has been committed since the last call, for up to {@code wait}. */
    void poll(Duration wait) {
        for (ConsumerRecord<RunKey, WindowStats> record : consumer.poll(wait)) {
            if (record.key() != null
                    && record.value() != null
                    && record.key().getRunId().equals(runId)) {
                counts.put(record.key(), record.value().getCount());
            }
        }
    }

    /** The sum of the counts of the run's latest summaries. */
    long count() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Endpoints that have a summary. */
    int endpoints() {
        return counts.size();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
