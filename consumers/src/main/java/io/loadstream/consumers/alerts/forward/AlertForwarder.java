package io.loadstream.consumers.alerts.forward;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.consumers.alerts.AlertFilter;
import io.loadstream.consumers.alerts.AlertLines;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards alert transitions from {@code alerts} to a receiver (Alertmanager or a webhook) as a
 * member of a consumer group, at least once.
 *
 * <ul>
 *   <li>A record's offset is committed only after the receiver answered 2xx (or the record went to
 *       dead letters): a forwarder stopped or killed posts again at most what was not acknowledged.
 *   <li>While the receiver is away (no connection, a timeout, 5xx, 408, 429) the same post is
 *       retried after growing waits ({@link RetryBackoff}), and nothing after it in its partition
 *       is posted, so nothing is skipped or reordered; the group membership is kept alive
 *       meanwhile. A 4xx that a retry cannot change sends the record to dead letters with the
 *       answer, and forwarding goes on.
 *   <li>Firing and resolved transitions are posted, pending and inactive ones are not. A firing
 *       alert is posted again every resend interval while it fires, as Prometheus does, so that
 *       Alertmanager does not time it out (zero: never).
 *   <li>What the group acknowledged before is read again only to learn which alerts fire; a
 *       partition it never committed is forwarded from its beginning ({@link GroupPartitions}).
 * </ul>
 */
public final class AlertForwarder implements AutoCloseable {

    /** Waits between attempts; {@link AlertForwarder#stop()} ends a wait at once. */
    @FunctionalInterface
    public interface Waiter {
        void await(Duration wait);
    }

    /** What the forwarder has done so far. */
    public record Counts(
            long delivered, long resent, long retries, long deadLetters, long skipped) {}

    private static final Logger log = LoggerFactory.getLogger(AlertForwarder.class);
    private static final Duration POLL = Duration.ofMillis(200);
    // a failed re-send is tried again this soon at the latest
    private static final Duration RESEND_RETRY = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final AlertRecordReader reader;
    private final AlertSender sender;
    private final ForwardDeadLetters deadLetters;
    private final AlertFilter filter;
    private final Duration resendInterval;
    private final RetryBackoff backoff;
    private final LongSupplier wallClock;
    private final Waiter waiter;
    private final FiringAlerts alerts = new FiringAlerts();
    private final GroupPartitions partitions;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private long delivered;
    private long resent;
    private long retries;
    private long skipped;

    /**
     * @param waiter how waits between attempts pass; null for real time, cut short by {@link
     *     #stop()}
     */
    public AlertForwarder(
            Consumer<byte[], byte[]> consumer,
            String topic,
            AlertRecordReader reader,
            AlertSender sender,
            ForwardDeadLetters deadLetters,
            AlertFilter filter,
            Duration resendInterval,
            RetryBackoff backoff,
            LongSupplier wallClock,
            Waiter waiter) {
        this.consumer = consumer;
        this.topic = topic;
        this.reader = reader;
        this.sender = sender;
        this.deadLetters = deadLetters;
        this.filter = filter;
        this.resendInterval = resendInterval;
        this.backoff = backoff;
        this.wallClock = wallClock;
        this.waiter = waiter != null ? waiter : this::awaitUnlessStopped;
        this.partitions = new GroupPartitions(consumer, alerts, wallClock, resendInterval);
    }

    /** Joins the group and forwards until {@link #stop()}. */
    public void run() {
        consumer.subscribe(List.of(topic), partitions);
        while (!stopRequested) {
            pollOnce();
        }
    }

    /** Polls once and forwards what came, then re-sends what is due: the body of {@link #run()}. */
    void pollOnce() {
        forward(consumer.poll(POLL));
        if (!stopRequested) {
            resendDue();
        }
    }

    /** Subscribes without polling: for tests that drive {@link #pollOnce()} themselves. */
    void subscribe() {
        consumer.subscribe(List.of(topic), partitions);
    }

    /** Asks {@link #run()} to return; a post being retried is left for the next forwarder. */
    public void stop() {
        stopRequested = true;
        stopped.countDown();
    }

    public Counts counts() {
        return new Counts(delivered, resent, retries, deadLetters.written(), skipped);
    }

    /** Alerts firing now, that the forwarder re-sends. */
    public int firing() {
        return alerts.firingCount();
    }

    private void forward(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (stopRequested || !partitions.holds(partition)) {
                    break;
                }
                if (!handle(partition, record)) {
                    if (!stopRequested && partitions.holds(partition)) {
                        consumer.seek(partition, record.offset());
                    }
                    break;
                }
            }
        }
    }

    /** Handles one record; false when it was not delivered and must be read again. */
    private boolean handle(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        boolean replay = partitions.acknowledged(record);
        AlertKey key;
        Alert alert;
        try {
            key = reader.key(record);
            alert = reader.value(record);
        } catch (RuntimeException e) {
            if (!replay) {
                deadLetters.write(
                        record, ForwardDeadLetters.UNREADABLE, String.valueOf(e.getMessage()));
                commit(partition, record);
            }
            log.warn("{} offset {} cannot be read: {}", partition, record.offset(), e.getMessage());
            return true;
        }
        if (replay) {
            alerts.apply(key, alert, partition, true, partitions.firstResendAt(partition));
            return true;
        }
        boolean accepted = alert != null && filter.accepts(alert);
        List<AlertNotice> notices =
                alert == null ? List.of() : alerts.notices(key, alert, accepted);
        if (!notices.isEmpty()) {
            Delivery delivery = deliver(notices, partition);
            switch (delivery.outcome()) {
                case DELIVERED -> delivered++;
                case REJECTED -> {
                    deadLetters.write(record, ForwardDeadLetters.REJECTED, delivery.detail());
                    log.warn(
                            "{} refused {}: {}",
                            sender.receiver(),
                            describe(alert),
                            delivery.detail());
                    accepted = false;
                }
                case RETRY -> {
                    return false;
                }
            }
        } else {
            skipped++;
        }
        alerts.apply(
                key, alert, partition, accepted, wallClock.getAsLong() + resendInterval.toMillis());
        commit(partition, record);
        return true;
    }

    /**
     * Posts until the receiver takes or refuses the notices; returns a {@link
     * Delivery.Outcome#RETRY} only when stopped or when the partition went to another forwarder
     * meanwhile.
     */
    private Delivery deliver(List<AlertNotice> notices, TopicPartition partition) {
        backoff.reset();
        for (int attempt = 1; ; attempt++) {
            Delivery delivery = sender.send(notices);
            if (delivery.outcome() != Delivery.Outcome.RETRY) {
                if (attempt > 1) {
                    log.info("{} took the alerts after {} attempts", sender.receiver(), attempt);
                }
                return delivery;
            }
            retries++;
            Duration wait = backoff.next();
            if (attempt == 1 || wait.equals(backoff.cap()) && attempt % 10 == 0) {
                log.warn(
                        "{}; trying again in {} ms (attempt {})",
                        delivery.detail(),
                        wait.toMillis(),
                        attempt);
            }
            waiter.await(wait);
            if (stopRequested) {
                return delivery;
            }
            partitions.keepMembership();
            if (!partitions.holds(partition)) {
                return delivery;
            }
        }
    }

    private void resendDue() {
        if (resendInterval.isZero()) {
            return;
        }
        long now = wallClock.getAsLong();
        List<Alert> due = alerts.due(now);
        if (due.isEmpty()) {
            return;
        }
        Delivery delivery = sender.send(due.stream().map(AlertNotice::firing).toList());
        if (delivery.outcome() == Delivery.Outcome.DELIVERED) {
            resent += due.size();
            alerts.scheduled(due, now + resendInterval.toMillis());
        } else {
            log.warn("re-sending {} firing alerts: {}", due.size(), delivery.detail());
            long retry = Math.min(resendInterval.toMillis(), RESEND_RETRY.toMillis());
            alerts.scheduled(due, now + retry);
        }
    }

    private void commit(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partition went to another member, which posts this record again
            log.warn(
                    "could not commit {} offset {}: {}",
                    partition,
                    record.offset(),
                    e.getMessage());
        }
    }

    private void awaitUnlessStopped(Duration wait) {
        try {
            stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    private static String describe(Alert alert) {
        return AlertLines.key(alert) + " " + alert.getState() + " " + alert.getLevel();
    }

    /**
     * A forwarder of {@code topics.alerts()} in consumer group {@code group}, writing dead letters
     * to {@code topics.deadLetters()}; it owns its consumer and producer, and closes them.
     */
    public static AlertForwarder open(
            ClientConfig clientConfig,
            AvroSerdes serdes,
            Topics topics,
            String group,
            AlertSender sender,
            AlertFilter filter,
            Duration resendInterval,
            RetryBackoff backoff) {
        Map<String, Object> config = clientConfig.consumer(group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer =
                    new KafkaProducer<>(
                            clientConfig.producer(),
                            new ByteArraySerializer(),
                            new ByteArraySerializer());
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        return new AlertForwarder(
                consumer,
                topics.alerts().name(),
                AlertRecordReader.of(serdes, topics.alerts()),
                sender,
                new ForwardDeadLetters(producer, topics.deadLetters().name()),
                filter,
                resendInterval,
                backoff,
                System::currentTimeMillis,
                null);
    }

    /** Closes the consumer (without committing anything more) and the dead-letter producer. */
    @Override
    public void close() {
        stop();
        try {
            consumer.close();
        } finally {
            deadLetters.close();
        }
    }
}
