package io.loadstream.consumers.alerts;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code alerts}, on a thread of its own, for an alert of one run firing at a level or
 * above, so that a generator can stop its run when that happens ({@code generate --abort-on}).
 * Reads from the end of the topic as it was when {@link #start} returned: transitions of an earlier
 * run with the same id do not count.
 *
 * <pre>{@code
 * try (RunAbortWatch watch = RunAbortWatch.start(config, serdes, topics.alerts(), runId, CRITICAL)) {
 *     run.run(() -> stopRequested() || watch.fired().isPresent(), ...);
 *     watch.fired().ifPresent(alert -> ...);
 * }
 * }</pre>
 */
public final class RunAbortWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunAbortWatch.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<AlertKey, Alert> consumer;
    private final String runId;
    private final AlertLevel level;
    private final AtomicReference<Alert> fired = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closed;

    RunAbortWatch(
            Consumer<AlertKey, Alert> consumer, String topic, String runId, AlertLevel level) {
        this.consumer = consumer;
        this.runId = runId;
        this.level = level;
        List<PartitionInfo> found = consumer.partitionsFor(topic, START_TIMEOUT);
        if (found == null || found.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions =
                found.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // resolved before the run starts, so no alert of the run comes before the position
        partitions.forEach(p -> consumer.position(p, START_TIMEOUT));
        this.thread = new Thread(this::watch, "abort-watch-" + runId);
        thread.setDaemon(true);
    }

    /**
     * Starts watching {@code topic} for an alert of {@code runId} firing at {@code level} or above.
     */
    public static RunAbortWatch start(
            ClientConfig clientConfig,
            AvroSerdes serdes,
            Topic<AlertKey, Alert> topic,
            String runId,
            AlertLevel level) {
        Map<String, Object> config =
                clientConfig.consumer("loadstream-abort-watch-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        KafkaConsumer<AlertKey, Alert> consumer =
                new KafkaConsumer<>(
                        config,
                        serdes.keySerde(topic).deserializer(),
                        serdes.valueSerde(topic).deserializer());
        try {
            RunAbortWatch watch = new RunAbortWatch(consumer, topic.name(), runId, level);
            watch.thread.start();
            return watch;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** The first alert of the run that fired at the level or above, once one has. */
    public Optional<Alert> fired() {
        return Optional.ofNullable(fired.get());
    }

    /** Whether {@code alert} stops the run: one of its alerts firing at the level or above. */
    boolean stops(Alert alert) {
        return alert != null
                && alert.getRunId().equals(runId)
                && alert.getState() == AlertState.FIRING
                && AlertFilter.atLeast(alert.getLevel(), level);
    }

    /** One line saying why the run stopped: the rule, level, where and the value. */
    public static String reason(Alert alert) {
        return "rule "
                + alert.getRuleId()
                + " fired "
                + alert.getLevel()
                + " on scenario "
                + alert.getScenario()
                + ", endpoint "
                + alert.getEndpoint()
                + ": "
                + AlertLines.comparison(alert);
    }

    private void watch() {
        try {
            while (!closed && fired.get() == null) {
                try {
                    for (ConsumerRecord<AlertKey, Alert> record : consumer.poll(POLL)) {
                        if (stops(record.value())) {
                            fired.compareAndSet(null, record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    log.warn(
                            "skipping an unreadable alert at {} offset {}",
                            e.topicPartition(),
                            e.offset());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            log.error("stopped watching alerts of run {}; the run goes on", runId, e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread.isAlive()) {
            consumer.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
