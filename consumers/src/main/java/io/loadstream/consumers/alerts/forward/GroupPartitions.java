package io.loadstream.consumers.alerts.forward;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions of {@code alerts} a forwarder holds in its consumer group. For each it learns,
 * when it is assigned, the offset the group acknowledged up to: records before it are read again
 * only to learn which alerts fire, without posting, and those are re-sent one resend interval
 * later. A partition the group never committed is forwarded from its beginning (the latest
 * transition of every alert that compaction kept, then the rest), since it may hold alerts an
 * earlier member never acknowledged. A partition taken away is forgotten, with its firing alerts.
 */
final class GroupPartitions implements ConsumerRebalanceListener {

    private final Consumer<?, ?> consumer;
    private final FiringAlerts alerts;
    private final LongSupplier wallClock;
    private final Duration resendInterval;
    // per partition held, the first offset not yet acknowledged when it was assigned
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private final Map<TopicPartition, Long> firstResendAt = new HashMap<>();

    GroupPartitions(
            Consumer<?, ?> consumer,
            FiringAlerts alerts,
            LongSupplier wallClock,
            Duration resendInterval) {
        this.consumer = consumer;
        this.alerts = alerts;
        this.wallClock = wallClock;
        this.resendInterval = resendInterval;
    }

    /** Whether this forwarder holds {@code partition} now. */
    boolean holds(TopicPartition partition) {
        return resumeAt.containsKey(partition);
    }

    /** Whether the group had acknowledged {@code record} when its partition was assigned. */
    boolean acknowledged(ConsumerRecord<?, ?> record) {
        Long resume = resumeAt.get(new TopicPartition(record.topic(), record.partition()));
        return resume != null && record.offset() < resume;
    }

    /** When the alerts found firing in the acknowledged part of {@code partition} are re-sent. */
    long firstResendAt(TopicPartition partition) {
        return firstResendAt.get(partition);
    }

    /**
     * Polls with every partition paused, so that the group does not count this member as gone while
     * a post is retried for longer than {@code max.poll.interval.ms}; whatever a rebalance let
     * through is read again later.
     */
    void keepMembership() {
        consumer.pause(consumer.assignment());
        ConsumerRecords<?, ?> got = consumer.poll(Duration.ZERO);
        for (TopicPartition partition : got.partitions()) {
            consumer.seek(partition, got.records(partition).get(0).offset());
        }
        consumer.resume(consumer.assignment());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                consumer.committed(new HashSet<>(partitions));
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        long firstResend = wallClock.getAsLong() + resendInterval.toMillis();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            resumeAt.put(partition, offset != null ? offset.offset() : beginnings.get(partition));
            firstResendAt.put(partition, firstResend);
        }
        consumer.seekToBeginning(partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
        resumeAt.keySet().removeAll(partitions);
        firstResendAt.keySet().removeAll(partitions);
        alerts.forget(partitions);
    }
}
