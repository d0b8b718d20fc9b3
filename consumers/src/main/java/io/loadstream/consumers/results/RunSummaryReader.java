package io.loadstream.consumers.results;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the current state of a compacted results topic: the latest value of every key, read from
 * the beginning up to the end offsets at the time of the call. Reads only committed records, so
 * exactly-once results are never seen half-written.
 *
 * <p>Reads: {@code run-summaries} (or any topic keyed like it).
 */
public final class RunSummaryReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final ClientConfig clientConfig;
    private final AvroSerdes serdes;
    private final Topic<RunKey, WindowStats> topic;

    public RunSummaryReader(
            ClientConfig clientConfig, AvroSerdes serdes, Topic<RunKey, WindowStats> topic) {
        this.clientConfig = clientConfig;
        this.serdes = serdes;
        this.topic = topic;
    }

    /**
     * The latest summary of each endpoint of a run, by endpoint name.
     *
     * @param timeout bound on the whole read
     * @throws IllegalStateException if the end of the topic is not reached within the timeout
     */
    public Map<String, WindowStats> latest(String runId, Duration timeout) {
        Map<String, Object> config =
                clientConfig.consumer("loadstream-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, WindowStats> latest = new TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer =
                new KafkaConsumer<>(
                        config,
                        serdes.keySerde(topic).deserializer(),
                        serdes.valueSerde(topic).deserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name(), timeout).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic.name() + " to its end within " + timeout);
                }
                for (ConsumerRecord<RunKey, WindowStats> record : consumer.poll(POLL)) {
                    if (record.key() != null
                            && record.key().getRunId().equals(runId)
                            && record.value() != null) {
                        latest.put(
                                record.key().getScenario() + "/" + record.key().getEndpoint(),
                                record.value());
                    }
                }
            }
        }
        return latest.values().stream()
                .collect(
                        Collectors.toMap(
                                WindowStats::getEndpoint, s -> s, (a, b) -> b, TreeMap::new));
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
