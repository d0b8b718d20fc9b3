package io.loadstream.consumers.compacted;

import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a compacted topic as the table it stands for: from the beginning of every partition, with
 * {@code read_committed} (records of aborted transactions are never seen, those of open ones not
 * yet), keeping the latest value of every key the filter accepts; a tombstone (a null value)
 * removes its key.
 *
 * <p>The reader has caught up once it has read every partition to the end offset the partition had
 * when reading began. {@link #readToEnd} and {@link #readUntil} read on the caller's thread,
 * blocking on poll within a timeout; {@link #follow} then goes on live on a thread of its own,
 * handing every change to a listener until {@link #close}.
 *
 * <pre>{@code
 * try (CompactedTopicReader<AlertKey, Alert> alerts =
 *         CompactedTopicReader.open(clientConfig, serdes, topics.alerts(),
 *                 key -> key.getRunId().equals(runId))) {
 *     alerts.readToEnd(Duration.ofSeconds(30)).values().forEach(System.out::println);
 *     alerts.follow((key, alert) -> System.out.println(alert == null ? key + " gone" : alert));
 *     ...
 * }
 * }</pre>
 */
public final class CompactedTopicReader<K, V> implements AutoCloseable {

    /** Receives the changes of a followed topic, on the reader's thread. */
    @FunctionalInterface
    public interface Listener<K, V> {
        /** {@code key} now has {@code value}; a null value means that a tombstone removed it. */
        void changed(K key, V value);
    }

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicReader.class);
    // the longest one poll blocks, so that deadlines and close are noticed in time
    private static final Duration POLL = Duration.ofMillis(200);
    // a follower that starts reading itself has no caller's timeout to keep to
    private static final Duration FOLLOW_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<K, V> consumer;
    private final String topic;
    private final Predicate<? super K> keyFilter;
    private final LongSupplier nanoClock;
    private final Map<K, V> table = new ConcurrentHashMap<>();
    // end offsets of the partitions not read to them yet; null until reading begins
    private Map<TopicPartition, Long> behind;
    private volatile boolean caughtUp;
    private Listener<K, V> listener = (key, value) -> {};
    private volatile Thread follower;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    CompactedTopicReader(
            Consumer<K, V> consumer,
            String topic,
            Predicate<? super K> keyFilter,
            LongSupplier nanoClock) {
        this.consumer = consumer;
        this.topic = topic;
        this.keyFilter = keyFilter;
        this.nanoClock = nanoClock;
    }

    /** A reader of {@code topic} that keeps the keys {@code keyFilter} accepts. */
    public static <K, V> CompactedTopicReader<K, V> open(
            ClientConfig clientConfig,
            AvroSerdes serdes,
            Topic<K, V> topic,
            Predicate<? super K> keyFilter) {
        // partitions are assigned, not subscribed: the group is never joined and nothing committed
        Map<String, Object> config =
                clientConfig.consumer("loadstream-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new CompactedTopicReader<>(
                new KafkaConsumer<>(
                        config,
                        serdes.keySerde(topic).deserializer(),
                        serdes.valueSerde(topic).deserializer()),
                topic.name(),
                keyFilter,
                System::nanoTime);
    }

    /**
     * Reads up to the end offsets the partitions had when reading began.
     *
     * @return the latest value of every key
     * @throws IllegalStateException if the end is not reached within {@code timeout}, or the topic
     *     does not exist
     */
    public Map<K, V> readToEnd(Duration timeout) {
        if (!readUntil(table -> true, timeout)) {
            throw new IllegalStateException(
                    "could not read " + topic + " to its end within " + timeout);
        }
        return latest();
    }

    /**
     * Reads to the end, then on until {@code condition} holds for the latest value of every key
     * (tested after every poll), or until {@code timeout} has passed.
     *
     * @return whether the condition holds; false if the timeout passed first
     * @throws IllegalStateException if the topic does not exist or its partitions are not found
     *     within the timeout
     */
    public boolean readUntil(Predicate<? super Map<K, V>> condition, Duration timeout) {
        if (follower != null) {
            throw new IllegalStateException(
                    "the reader of " + topic + " follows it live: use latest() instead");
        }
        long deadline = nanoClock.getAsLong() + timeout.toNanos();
        beginReading(timeout);
        Map<K, V> view = Collections.unmodifiableMap(table);
        while (!(caughtUp && condition.test(view))) {
            long left = deadline - nanoClock.getAsLong();
            if (left <= 0) {
                return false;
            }
            poll(left < POLL.toNanos() ? Duration.ofNanos(left) : POLL);
        }
        return true;
    }

    /**
     * Goes on reading live on a thread of its own and hands every change from now on to {@code
     * listener}. Called before anything was read, the thread reads from the beginning, and the
     * listener gets the changes of catching up too.
     */
    public synchronized void follow(Listener<K, V> listener) {
        if (closed || follower != null) {
            throw new IllegalStateException(
                    "the reader of " + topic + (closed ? " is closed" : " already follows it"));
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        Thread thread = new Thread(this::followLive, "follow-" + topic);
        thread.setDaemon(true);
        follower = thread;
        thread.start();
    }

    /** The latest value of every key read so far. */
    public Map<K, V> latest() {
        return Map.copyOf(table);
    }

    /** Whether every partition was read to the end offset it had when reading began. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why following stopped before {@link #close}, if it did. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    private void beginReading(Duration timeout) {
        if (behind != null) {
            return;
        }
        try {
            List<PartitionInfo> found = consumer.partitionsFor(topic, timeout);
            if (found == null || found.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions =
                    found.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            behind = new HashMap<>(consumer.endOffsets(partitions, timeout));
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "could not read "
                            + topic
                            + " to its end within "
                            + timeout
                            + ": "
                            + e.getMessage(),
                    e);
        }
        behind.values().removeIf(end -> end == 0);
        caughtUp = behind.isEmpty();
    }

    private void poll(Duration maxWait) {
        for (ConsumerRecord<K, V> record : consumer.poll(maxWait)) {
            apply(record);
        }
        if (!caughtUp) {
            behind.entrySet().removeIf(end -> reached(end.getKey(), end.getValue()));
            caughtUp = behind.isEmpty();
        }
    }

    private boolean reached(TopicPartition partition, long end) {
        try {
            return consumer.position(partition, POLL) >= end;
        } catch (TimeoutException e) {
            return false; // the position is not known yet: asked again after the next poll
        }
    }

    private void apply(ConsumerRecord<K, V> record) {
        K key = record.key();
        if (key == null || !keyFilter.test(key)) {
            return;
        }
        V value = record.value();
        V before = value == null ? table.remove(key) : table.put(key, value);
        if (value != null || before != null) {
            listener.changed(key, value);
        }
    }

    private void followLive() {
        try {
            beginReading(FOLLOW_START_TIMEOUT);
            while (!closed) {
                poll(POLL);
            }
        } catch (WakeupException e) {
            // close() woke the poll up
        } catch (RuntimeException e) {
            failure = e;
            log.error("stopped following {}", topic, e);
        } finally {
            consumer.close();
        }
    }

    /** Stops following (waiting for the thread to finish) and closes the consumer. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            thread = follower;
        }
        if (thread == null) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("the follower of {} did not stop within {}", topic, CLOSE_TIMEOUT);
        }
    }
}
