package io.loadstream.consumers.alerts.forward;

import static io.loadstream.consumers.alerts.TestAlerts.T0;
import static io.loadstream.consumers.alerts.TestAlerts.alert;
import static io.loadstream.consumers.alerts.TestAlerts.firing;
import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.consumers.alerts.AlertFilter;
import io.loadstream.consumers.alerts.AlertLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The forwarder's delivery, retries, commits and re-sends, with a fake receiver and clock. */
class AlertForwarderTest {

    private static final String TOPIC = "alerts";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final Duration RESEND = Duration.ofMinutes(1);

    private final AtomicLong now = new AtomicLong(T0 + 60_000);
    private final FakeReceiver receiver = new FakeReceiver();
    private final List<Duration> waits = new ArrayList<>();
    private final MockProducer<byte[], byte[]> deadLetterProducer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private MockConsumer<byte[], byte[]> consumer;
    private AlertForwarder forwarder;
    private Runnable duringWait = () -> {};
    private long nextOffset;

    @BeforeEach
    void setUp() {
        consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 0L));
        forwarder = forwarder(AlertFilter.ALL);
    }

    @Test
    void shouldCommitOnlyOnceTheReceiverAnsweredAfterItCameBack() {
        receiver.answers(Delivery.Outcome.RETRY, Delivery.Outcome.RETRY, Delivery.Outcome.RETRY);
        duringWait =
                () -> assertThat(committed()).as("committed while the receiver is down").isNull();
        assign();
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0));

        forwarder.pollOnce();

        assertThat(receiver.posts).hasSize(4).allSatisfy(post -> assertThat(post).hasSize(1));
        assertThat(waits)
                .containsExactly(
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(committed()).isEqualTo(1);
        assertThat(forwarder.counts().retries()).isEqualTo(3);
    }

    @Test
    void shouldNeitherCommitNorSkipWhenStoppedWhileTheReceiverIsDown() {
        receiver.answers(Delivery.Outcome.RETRY, Delivery.Outcome.RETRY);
        duringWait =
                () -> {
                    if (waits.size() == 2) {
                        forwarder.stop();
                    }
                };
        assign();
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0));
        add(firing("search", AlertLevel.CRITICAL, 2, T0));

        forwarder.pollOnce();

        assertThat(committed()).isNull();
        assertThat(receiver.posts)
                .hasSize(2)
                .allSatisfy(post -> assertThat(endpoint(post.get(0))).isEqualTo("checkout"));
    }

    @Test
    void shouldSendRefusedAlertsToDeadLettersWithTheReasonAndGoOn() throws Exception {
        receiver.answers(Delivery.Outcome.REJECTED);
        assign();
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0));
        add(firing("search", AlertLevel.CRITICAL, 2, T0));

        forwarder.pollOnce();

        assertThat(committed()).isEqualTo(2);
        List<ProducerRecord<byte[], byte[]>> dead = deadLetterProducer.history();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), ForwardDeadLetters.REASON))
                .isEqualTo("rejected-by-receiver");
        assertThat(header(dead.get(0), ForwardDeadLetters.DETAIL))
                .isEqualTo("HTTP 400: bad label name");
        assertThat(header(dead.get(0), ForwardDeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead.get(0), ForwardDeadLetters.PROCESSOR)).isEqualTo("alerts-forward");
        assertThat(Alert.fromByteBuffer(ByteBuffer.wrap(dead.get(0).value())).getEndpoint())
                .isEqualTo("checkout");
        // the refused alert is not re-sent; the other one is
        now.addAndGet(RESEND.toMillis());
        forwarder.pollOnce();
        assertThat(endpoint(receiver.posts.get(2).get(0))).isEqualTo("search");
        assertThat(receiver.posts.get(2)).hasSize(1);
    }

    @Test
    void shouldSendUnreadableRecordsToDeadLetters() {
        assign();
        consumer.addRecord(
                new ConsumerRecord<>(
                        TOPIC,
                        0,
                        nextOffset++,
                        new byte[] {1},
                        "junk".getBytes(StandardCharsets.UTF_8)));
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0));

        forwarder.pollOnce();

        assertThat(header(deadLetterProducer.history().get(0), ForwardDeadLetters.REASON))
                .isEqualTo("unreadable");
        assertThat(receiver.posts).hasSize(1);
        assertThat(committed()).isEqualTo(2);
    }

    @Test
    void shouldPostFiringAndResolvedButNotPendingOrInactiveAndSkipRepeats() {
        assign();
        add(alert("checkout", AlertState.PENDING, AlertLevel.CRITICAL, 1, T0).build());
        add(alert("search", AlertState.PENDING, AlertLevel.CRITICAL, 1, T0).build());
        add(alert("search", AlertState.INACTIVE, AlertLevel.CRITICAL, 2, T0 + 1_000).build());
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0 + 1_000));
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0 + 1_000)); // the same transition again
        add(alert("checkout", AlertState.RESOLVED, AlertLevel.CRITICAL, 3, T0 + 5_000).build());

        forwarder.pollOnce();

        assertThat(receiver.posts).hasSize(2);
        assertThat(receiver.posts.get(0).get(0).isResolved()).isFalse();
        assertThat(receiver.posts.get(1).get(0).resolvedAtMs()).isEqualTo(T0 + 6_000);
        assertThat(committed()).isEqualTo(6);
    }

    @Test
    void shouldResolveTheEarlierLevelWhenTheLevelChanges() {
        assign();
        add(firing("checkout", AlertLevel.WARNING, 2, T0));
        add(firing("checkout", AlertLevel.CRITICAL, 3, T0 + 1_000));

        forwarder.pollOnce();

        List<AlertNotice> change = receiver.posts.get(1);
        assertThat(change).hasSize(2);
        assertThat(change.get(0).alert().getLevel()).isEqualTo(AlertLevel.WARNING);
        assertThat(change.get(0).resolvedAtMs()).isEqualTo(T0 + 2_000);
        assertThat(change.get(1).alert().getLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(change.get(1).isResolved()).isFalse();
    }

    @Test
    void shouldResendFiringAlertsEveryIntervalUntilResolved() {
        assign();
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0));
        forwarder.pollOnce();
        now.addAndGet(RESEND.toMillis() - 1);
        forwarder.pollOnce();
        assertThat(receiver.posts).hasSize(1);

        now.addAndGet(1);
        forwarder.pollOnce();
        assertThat(receiver.posts).hasSize(2);
        assertThat(forwarder.counts().resent()).isEqualTo(1);

        add(alert("checkout", AlertState.RESOLVED, AlertLevel.CRITICAL, 3, T0 + 5_000).build());
        forwarder.pollOnce();
        now.addAndGet(10 * RESEND.toMillis());
        forwarder.pollOnce();
        assertThat(receiver.posts).hasSize(3);
        assertThat(receiver.posts.get(2).get(0).isResolved()).isTrue();
    }

    @Test
    void shouldLearnWhatFiresFromTheAcknowledgedPartWithoutPostingIt() {
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0), false);
        add(firing("search", AlertLevel.CRITICAL, 2, T0), false);
        add(
                alert("search", AlertState.RESOLVED, AlertLevel.CRITICAL, 3, T0 + 3_000).build(),
                false);
        consumer.updateEndOffsets(Map.of(P0, 3L));
        // an earlier forwarder of the group acknowledged all three
        assign();
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(3)));
        consumer.rebalance(List.of());
        consumer.rebalance(List.of(P0));
        pending.forEach(consumer::addRecord);

        forwarder.pollOnce();
        assertThat(receiver.posts).isEmpty();

        now.addAndGet(RESEND.toMillis());
        forwarder.pollOnce();
        assertThat(receiver.posts).hasSize(1);
        assertThat(receiver.posts.get(0))
                .extracting(n -> n.alert().getEndpoint())
                .containsExactly("checkout");
    }

    @Test
    void shouldForwardAPartitionTheGroupNeverCommittedFromItsBeginning() {
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, p1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 1L, p1, 1L));
        forwarder.subscribe();
        consumer.rebalance(List.of(P0, p1));
        // the group acknowledged partition 0 only: an earlier member stopped before partition 1
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(1)));
        consumer.rebalance(List.of());
        consumer.rebalance(List.of(P0, p1));
        add(firing("checkout", AlertLevel.CRITICAL, 2, T0));
        Alert search = firing("search", AlertLevel.CRITICAL, 2, T0);
        consumer.addRecord(
                new ConsumerRecord<>(TOPIC, 1, 0, bytes(AlertLines.key(search)), bytes(search)));

        forwarder.pollOnce();

        assertThat(receiver.posts)
                .singleElement()
                .satisfies(post -> assertThat(endpoint(post.get(0))).isEqualTo("search"));
        assertThat(consumer.committed(Set.of(p1)).get(p1).offset()).isEqualTo(1);
    }

    @Test
    void shouldForwardOnlyWhatTheFilterAcceptsAndEndWhatItNoLongerDoes() {
        forwarder = forwarder(AlertFilter.of(null, AlertLevel.CRITICAL));
        assign();
        add(firing("checkout", AlertLevel.WARNING, 2, T0));
        add(firing("checkout", AlertLevel.CRITICAL, 3, T0 + 1_000));
        add(firing("checkout", AlertLevel.WARNING, 4, T0 + 2_000));

        forwarder.pollOnce();

        assertThat(receiver.posts).hasSize(2);
        assertThat(receiver.posts.get(0).get(0).alert().getLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(receiver.posts.get(1))
                .singleElement()
                .satisfies(n -> assertThat(n.isResolved()).isTrue());
        assertThat(forwarder.firing()).isZero();
    }

    private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();

    private AlertForwarder forwarder(AlertFilter filter) {
        return new AlertForwarder(
                consumer,
                TOPIC,
                new BinaryReader(),
                receiver,
                new ForwardDeadLetters(deadLetterProducer, "dead-letters"),
                filter,
                RESEND,
                RetryBackoff.defaults(),
                now::get,
                wait -> {
                    waits.add(wait);
                    now.addAndGet(wait.toMillis());
                    duringWait.run();
                });
    }

    private void assign() {
        forwarder.subscribe();
        consumer.rebalance(List.of(P0));
    }

    private void add(Alert alert) {
        add(alert, true);
    }

    private void add(Alert alert, boolean now) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(
                        TOPIC, 0, nextOffset++, bytes(AlertLines.key(alert)), bytes(alert));
        if (now) {
            consumer.addRecord(record);
        } else {
            pending.add(record);
        }
    }

    private Long committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(P0)).get(P0);
        return offset == null ? null : offset.offset();
    }

    private static String endpoint(AlertNotice notice) {
        return notice.alert().getEndpoint();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Object record) {
        try {
            ByteBuffer buffer =
                    record instanceof Alert alert
                            ? alert.toByteBuffer()
                            : ((AlertKey) record).toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads records written with the generated classes' own binary encoding. */
    private static final class BinaryReader implements AlertRecordReader {
        @Override
        public AlertKey key(ConsumerRecord<byte[], byte[]> record) {
            try {
                return AlertKey.fromByteBuffer(ByteBuffer.wrap(record.key()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Alert value(ConsumerRecord<byte[], byte[]> record) {
            try {
                return Alert.fromByteBuffer(ByteBuffer.wrap(record.value()));
            } catch (IOException e) {
                throw new IllegalArgumentException("not an alert: " + e.getMessage(), e);
            }
        }
    }

    /** A receiver that answers as scripted (then 2xx) and keeps every post. */
    private static final class FakeReceiver implements AlertSender {
        final List<List<AlertNotice>> posts = new ArrayList<>();
        private final Deque<Delivery.Outcome> answers = new ArrayDeque<>();

        void answers(Delivery.Outcome... outcomes) {
            answers.addAll(List.of(outcomes));
        }

        @Override
        public Delivery send(List<AlertNotice> notices) {
            posts.add(List.copyOf(notices));
            Delivery.Outcome outcome =
                    answers.isEmpty() ? Delivery.Outcome.DELIVERED : answers.poll();
            return switch (outcome) {
                case DELIVERED -> Delivery.delivered("HTTP 200");
                case RETRY -> Delivery.retry("HTTP 503");
                case REJECTED -> Delivery.rejected("HTTP 400: bad label name");
            };
        }

        @Override
        public String receiver() {
            return "fake receiver";
        }
    }
}
