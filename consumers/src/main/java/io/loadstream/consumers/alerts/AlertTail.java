package io.loadstream.consumers.alerts;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * Follows the {@code alerts} topic live and hands a readable line (see {@link AlertLines}) for each
 * firing, level change and resolve that the filter accepts to a sink, until asked to stop. Reads
 * committed records only, from every partition, without joining a group or committing: any number
 * of tails may run side by side.
 *
 * <pre>{@code
 * try (AlertTail tail = AlertTail.open(config, serdes, topics.alerts(), filter, false)) {
 *     tail.run(stopRequested, System.out::println);
 * }
 * }</pre>
 */
public final class AlertTail implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<AlertKey, Alert> consumer;
    private final Topic<AlertKey, Alert> topic;
    private final AlertFilter filter;
    private final boolean fromBeginning;
    private final AlertLines lines = new AlertLines();
    private long unreadable;

    private AlertTail(
            KafkaConsumer<AlertKey, Alert> consumer,
            Topic<AlertKey, Alert> topic,
            AlertFilter filter,
            boolean fromBeginning) {
        this.consumer = consumer;
        this.topic = topic;
        this.filter = filter;
        this.fromBeginning = fromBeginning;
    }

    /**
     * A tail of {@code topic}: from its beginning (the latest transition of every alert that
     * compaction kept, then the rest) or, by default, from its end.
     */
    public static AlertTail open(
            ClientConfig clientConfig,
            AvroSerdes serdes,
            Topic<AlertKey, Alert> topic,
            AlertFilter filter,
            boolean fromBeginning) {
        Map<String, Object> config =
                clientConfig.consumer("loadstream-alerts-tail-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new AlertTail(
                new KafkaConsumer<>(
                        config,
                        serdes.keySerde(topic).deserializer(),
                        serdes.valueSerde(topic).deserializer()),
                topic,
                filter,
                fromBeginning);
    }

    /**
     * Places the tail at the beginning or the end of every partition, so that what is written to
     * the topic from now on is shown; returns this tail.
     *
     * @throws IllegalStateException when the topic does not exist
     */
    public AlertTail start() {
        List<PartitionInfo> found = consumer.partitionsFor(topic.name(), METADATA_TIMEOUT);
        if (found == null || found.isEmpty()) {
            throw new IllegalStateException(
                    "topic "
                            + topic.name()
                            + " does not exist: run 'loadstream topics' or check --topic-prefix");
        }
        List<TopicPartition> partitions =
                found.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        // resolve the positions now: a transition written after start() is never missed
        partitions.forEach(consumer::position);
        return this;
    }

    /** Reads and hands lines to {@code sink} until {@code stopRequested} says so. */
    public void run(BooleanSupplier stopRequested, Consumer<String> sink) {
        if (consumer.assignment().isEmpty()) {
            start();
        }
        while (!stopRequested.getAsBoolean()) {
            try {
                for (ConsumerRecord<AlertKey, Alert> record : consumer.poll(POLL)) {
                    Alert alert = record.value();
                    if (alert != null && filter.accepts(alert)) {
                        lines.describe(alert).ifPresent(sink);
                    }
                }
            } catch (RecordDeserializationException e) {
                // shown, skipped, counted: one bad record does not end the view
                unreadable++;
                sink.accept(
                        "unreadable record at "
                                + e.topicPartition()
                                + " offset "
                                + e.offset()
                                + ": "
                                + e.getMessage());
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
    }

    /** Records that could not be read and were skipped. */
    public long unreadable() {
        return unreadable;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
