package io.loadstream.producers.rules;

import io.loadstream.avro.ThresholdRule;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Writes threshold rules to the compacted {@code rules} topic, keyed by rule id, and waits for the
 * broker's acknowledgement of each: a rule replaces the one with its id, a tombstone deletes it.
 * {@code rules apply} and {@code rules delete} write through it, and the generator publishes its
 * scenario's thresholds with it before its run's time 0.
 *
 * <pre>{@code
 * try (RuleWriter writer = RuleWriter.open(clientConfig, serdes, topics.rules())) {
 *     writer.write(RulesLoader.load(Path.of("rules.yaml")));
 * }
 * }</pre>
 */
public final class RuleWriter implements AutoCloseable {

    /** How long writing waits for the broker's acknowledgements. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Where one record went.
     *
     * @param ruleId the rule's id, the record's key
     * @param partition the partition written to
     * @param offset the record's offset
     */
    public record Written(String ruleId, int partition, long offset) {}

    private final KafkaProducer<String, ThresholdRule> producer;
    private final String topic;

    RuleWriter(KafkaProducer<String, ThresholdRule> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * A writer to {@code rules}, whose schemas are registered and which is created, compacted, when
     * it is missing: a topic the broker created on first write would have its default cleanup
     * policy, delete, and lose rules to retention.
     */
    public static RuleWriter open(
            ClientConfig config, AvroSerdes serdes, Topic<String, ThresholdRule> rules) {
        try (Admin admin = Admin.create(config.admin())) {
            new TopicSetup(admin, Optional.empty()).ensure(List.of(rules.spec()));
        }
        serdes.registerSchemas(rules);
        Map<String, Object> settings = config.producer();
        // a handful of records, each awaited: no reason to linger
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.putIfAbsent(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
        settings.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new RuleWriter(
                new KafkaProducer<>(
                        settings,
                        serdes.keySerde(rules).serializer(),
                        serdes.valueSerde(rules).serializer()),
                rules.name());
    }

    /**
     * Writes every rule, keyed by its id, and waits until the broker acknowledged them all.
     *
     * @throws KafkaException naming the rule when one is not acknowledged within {@link
     *     #ACK_TIMEOUT}
     */
    public List<Written> write(Collection<ThresholdRule> rules) {
        List<String> ids = rules.stream().map(ThresholdRule::getRuleId).toList();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ThresholdRule rule : rules) {
            sent.add(producer.send(new ProducerRecord<>(topic, rule.getRuleId(), rule)));
        }
        return acknowledged(ids, sent);
    }

    /**
     * Writes a tombstone for every id, which deletes its rule, and waits until the broker
     * acknowledged them all.
     */
    public List<Written> delete(Collection<String> ruleIds) {
        List<String> ids = List.copyOf(ruleIds);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String id : ids) {
            sent.add(producer.send(new ProducerRecord<>(topic, id, null)));
        }
        return acknowledged(ids, sent);
    }

    private List<Written> acknowledged(List<String> ids, List<Future<RecordMetadata>> sent) {
        producer.flush();
        List<Written> written = new ArrayList<>();
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (int i = 0; i < ids.size(); i++) {
            try {
                RecordMetadata metadata =
                        sent.get(i)
                                .get(
                                        Math.max(0, deadline - System.nanoTime()),
                                        TimeUnit.NANOSECONDS);
                written.add(new Written(ids.get(i), metadata.partition(), metadata.offset()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while writing rule " + ids.get(i), e);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new KafkaException(
                        "rule "
                                + ids.get(i)
                                + " was not acknowledged by "
                                + topic
                                + ": "
                                + cause.getMessage(),
                        cause);
            }
        }
        return written;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
