package io.loadstream.consumers.compacted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CompactedTopicReaderTest {

    private static final String TOPIC = "results";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final long TICK_NANOS = Duration.ofMillis(100).toNanos();

    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    // every reading of the clock moves it on by a tick: deadlines pass without waiting for them
    private final AtomicLong nanos = new AtomicLong();

    @BeforeEach
    void topicOfTwoPartitions() {
        consumer.updatePartitions(
                TOPIC,
                List.of(
                        new PartitionInfo(TOPIC, 0, null, null, null),
                        new PartitionInfo(TOPIC, 1, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    @Test
    void shouldKeepTheLatestValuePerKeyAndForgetTombstonedKeys() {
        consumer.updateEndOffsets(Map.of(P0, 3L, P1, 2L));
        onNextPoll(
                record(P0, 0, "home", "1"),
                record(P1, 0, "search", "1"),
                record(P0, 1, "home", "2"),
                record(P1, 1, "search", null),
                record(P0, 2, "cart", null));

        assertThat(reader(key -> true).readToEnd(Duration.ofSeconds(5)))
                .isEqualTo(Map.of("home", "2"));
    }

    @Test
    void shouldKeepOnlyTheKeysTheFilterAccepts() {
        consumer.updateEndOffsets(Map.of(P0, 2L, P1, 1L));
        onNextPoll(
                record(P0, 0, "r1/home", "1"),
                record(P0, 1, "r2/home", "2"),
                record(P1, 0, "r1/search", "3"));

        assertThat(reader(key -> key.startsWith("r1/")).readToEnd(Duration.ofSeconds(5)))
                .isEqualTo(Map.of("r1/home", "1", "r1/search", "3"));
    }

    @Test
    void shouldSayWhichTopicItCouldNotReadToItsEndWithinTheTimeout() {
        consumer.updateEndOffsets(Map.of(P0, 5L, P1, 0L));
        onNextPoll(record(P0, 0, "home", "1"), record(P0, 1, "home", "2"));
        CompactedTopicReader<String, String> reader = reader(key -> true);

        assertThatThrownBy(() -> reader.readToEnd(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("could not read results to its end within PT1S");
        assertThat(reader.caughtUp()).isFalse();
        assertThat(reader.latest()).isEqualTo(Map.of("home", "2"));
    }

    @Test
    void shouldReadOnPastTheEndUntilTheConditionHolds() {
        consumer.updateEndOffsets(Map.of(P0, 1L, P1, 0L));
        onNextPoll(record(P0, 0, "home", "1"));
        CompactedTopicReader<String, String> reader = reader(key -> true);

        assertThat(reader.readUntil(table -> "2".equals(table.get("home")), Duration.ofSeconds(1)))
                .isFalse();
        onNextPoll(record(P0, 1, "home", "2"));
        assertThat(reader.readUntil(table -> "2".equals(table.get("home")), Duration.ofSeconds(1)))
                .isTrue();
        assertThat(reader.caughtUp()).isTrue();
    }

    @Test
    void shouldHandEveryChangeToTheListenerAndStopFollowingOnClose() {
        consumer.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
        List<String> changes = new CopyOnWriteArrayList<>();
        CompactedTopicReader<String, String> reader = reader(key -> true);

        reader.follow((key, value) -> changes.add(key + "=" + value));
        onNextPoll(
                record(P0, 0, "home", "1"),
                record(P0, 1, "cart", null),
                record(P0, 2, "search", "1"),
                record(P0, 3, "home", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() >= 3);
        reader.close();

        assertThat(changes).containsExactly("home=1", "search=1", "home=null");
        assertThat(consumer.closed()).isTrue();
        assertThat(reader.failure()).isEmpty();
    }

    private CompactedTopicReader<String, String> reader(Predicate<String> keyFilter) {
        return new CompactedTopicReader<>(
                consumer, TOPIC, keyFilter, () -> nanos.addAndGet(TICK_NANOS));
    }

    @SafeVarargs
    private void onNextPoll(ConsumerRecord<String, String>... records) {
        consumer.schedulePollTask(() -> List.of(records).forEach(consumer::addRecord));
    }

    private static ConsumerRecord<String, String> record(
            TopicPartition partition, long offset, String key, String value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, value);
    }
}
