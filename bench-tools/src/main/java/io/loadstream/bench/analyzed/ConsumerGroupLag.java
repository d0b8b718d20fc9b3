package io.loadstream.bench.analyzed;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (a Kafka Streams application id) is behind on one topic: the sum over
 * the topic's partitions of end offset minus committed offset, a partition without a committed
 * offset counting from its start.
 */
final class ConsumerGroupLag {

    /** Committed and end offsets summed over the topic's partitions; lag is their difference. */
    record Lag(long committed, long end) {
        long lag() {
            return end - committed;
        }
    }

    private final Admin admin;
    private final String group;
    private final List<TopicPartition> partitions;

    ConsumerGroupLag(Admin admin, String group, String topic)
            throws InterruptedException, ExecutionException {
        this.admin = admin;
        this.group = group;
        this.partitions =
                admin
                        .describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
    }

    Lag now() throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                admin.listOffsets(
                                partitions.stream()
                                        .collect(
                                                Collectors.toMap(
                                                        Function.identity(),
                                                        p -> OffsetSpec.latest())))
                        .all()
                        .get();
        long committedSum = 0;
        long endSum = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            committedSum += offset == null ? 0 : offset.offset();
            endSum += ends.get(partition).offset();
        }
        return new Lag(committedSum, endSum);
    }
}
