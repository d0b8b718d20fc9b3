package io.loadstream.analytics.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * How far a consumer group (for a Streams application, its application id) is behind the end of
 * each of its input topics: the sum over partitions of the last committed offset's distance to the
 * end offset. A partition without a committed offset counts from its first offset, as a group that
 * resets to the earliest offset would read it. End offsets are read committed, so records of open
 * or aborted transactions are not counted as lag.
 *
 * <pre>{@code
 * ConsumerGroupLag lag = new ConsumerGroupLag(admin, "loadstream-analyze", List.of("timings"),
 *         Duration.ofSeconds(5));
 * long behind = lag.byTopic().get("timings");
 * }</pre>
 */
public final class ConsumerGroupLag {

    private final Admin admin;
    private final String groupId;
    private final List<String> topics;
    private final Duration timeout;

    public ConsumerGroupLag(Admin admin, String groupId, List<String> topics, Duration timeout) {
        this.admin = admin;
        this.groupId = groupId;
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
    }

    /**
     * The lag of every input topic, in the order the topics were given.
     *
     * @throws IllegalStateException when the cluster does not answer within the timeout, or a topic
     *     does not exist
     */
    public Map<String, Long> byTopic() {
        Map<TopicPartition, OffsetAndMetadata> committed =
                await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
        for (TopicDescription topic :
                await(admin.describeTopics(topics).allTopicNames()).values()) {
            topic.partitions()
                    .forEach(
                            p -> {
                                TopicPartition partition =
                                        new TopicPartition(topic.name(), p.partition());
                                ends.put(partition, OffsetSpec.latest());
                                if (committed.get(partition) == null) {
                                    starts.put(partition, OffsetSpec.earliest());
                                }
                            });
        }
        Map<TopicPartition, Long> from = offsets(starts);
        committed.forEach(
                (partition, offset) -> {
                    if (offset != null) {
                        from.put(partition, offset.offset());
                    }
                });
        Map<String, Long> lag = new LinkedHashMap<>();
        topics.forEach(topic -> lag.put(topic, 0L));
        offsets(ends)
                .forEach(
                        (partition, end) ->
                                lag.merge(
                                        partition.topic(),
                                        Math.max(0, end - from.getOrDefault(partition, 0L)),
                                        Long::sum));
        return lag;
    }

    private Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetSpec> specs) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (specs.isEmpty()) {
            return offsets;
        }
        Map<TopicPartition, ListOffsetsResultInfo> infos =
                await(
                        admin.listOffsets(
                                        specs,
                                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                                .all());
        infos.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot read the lag of group " + groupId + " on " + topics + ": " + cause,
                    cause);
        }
    }
}
