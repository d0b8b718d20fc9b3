package io.loadstream.producers.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimingPublisherTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final MockProducer<SeriesKey, RequestTiming> producer =
            new MockProducer<>(false, null, (topic, key) -> new byte[1], (topic, value) -> null);
    private TimingPublisher publisher =
            new TimingPublisher(producer, "loadstream.timings", 100, 1, Duration.ofSeconds(1));

    @AfterEach
    void close() {
        publisher.close();
    }

    @Test
    void shouldSendKeyedRecordsStampedWithTheIntendedSendTime() {
        RequestTiming timing = timing("checkout", 1_700_000_000_123_456L);

        publisher.publish(timing);

        await().atMost(BOUND)
                .untilAsserted(
                        () ->
                                assertThat(producer.history())
                                        .containsExactly(
                                                new ProducerRecord<>(
                                                        "loadstream.timings",
                                                        null,
                                                        1_700_000_000_123L,
                                                        new SeriesKey(
                                                                "run-1",
                                                                "synthetic",
                                                                "checkout",
                                                                "gen-1"),
                                                        timing)));
    }

    @Test
    void shouldCountAcknowledgedAndFailedRecordsAndKeepTheFirstFailure() {
        for (int i = 0; i < 4; i++) {
            publisher.publish(timing("a", 1_000_000L * i));
        }
        await().atMost(BOUND).until(() -> producer.history().size() == 4);

        producer.completeNext();
        producer.errorNext(new TimeoutException("expired before reaching the broker"));
        producer.errorNext(new IllegalStateException("later failure"));
        producer.completeNext();

        assertThat(publisher.sent()).isEqualTo(4);
        assertThat(publisher.acknowledged()).isEqualTo(2);
        assertThat(publisher.failed()).isEqualTo(2);
        assertThat(publisher.pending()).isZero();
        assertThat(publisher.firstFailure())
                .contains("TimeoutException: expired before reaching the broker");
    }

    @Test
    void shouldKeepEventsWhileKafkaIsAwayAndDeliverThemWhenItReturns() {
        producer.sendException =
                new TimeoutException("Topic not present in metadata after 1000 ms");
        for (int i = 0; i < 50; i++) {
            publisher.publish(timing("a", i));
        }
        assertThat(publisher.dropped()).isZero();
        assertThat(producer.history()).isEmpty();

        producer.sendException = null;

        await().atMost(BOUND).until(() -> producer.history().size() == 50);
        producer.flush();
        assertThat(publisher.acknowledged()).isEqualTo(50);
        assertThat(publisher.failed()).isZero();
    }

    @Test
    void shouldDropAndCountEventsBeyondTheBufferWithoutBlocking() {
        producer.sendException = new TimeoutException("Kafka is away");

        // Kafka never comes back here, so a publish that waited for room would wait for ever; the
        // bound only keeps such a publisher from hanging the build
        assertTimeoutPreemptively(
                BOUND,
                () -> {
                    for (int i = 0; i < 1_000; i++) {
                        publisher.publish(timing("a", i));
                    }
                });

        // the buffer holds 100 and the sender threads those they took out of it, at most the 100
        // the buffer held then (none when they did not get to run); the rest are dropped at once
        assertThat(publisher.dropped()).isBetween(800L, 900L);
        assertThat(publisher.sent()).isEqualTo(1_000);
    }

    @Test
    void shouldAccountForEveryEventAfterClose() {
        publisher.close();
        MockProducer<SeriesKey, RequestTiming> acking =
                new MockProducer<>(true, null, (topic, key) -> new byte[1], (topic, value) -> null);
        publisher =
                new TimingPublisher(acking, "loadstream.timings", 100, 1, Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            publisher.publish(timing("a", i));
        }
        publisher.close();
        publisher.publish(timing("late", 11));

        assertThat(publisher.sent()).isEqualTo(11);
        assertThat(publisher.acknowledged() + publisher.failed() + publisher.dropped())
                .isEqualTo(11);
        assertThat(publisher.dropped()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldCountARecordTheProducerRefusesAsFailed() {
        producer.sendException = new IllegalStateException("producer is fenced");

        publisher.publish(timing("a", 0));

        await().atMost(BOUND).until(() -> publisher.failed() == 1);
        assertThat(publisher.firstFailure()).contains("IllegalStateException: producer is fenced");
    }

    @Test
    void shouldCountAnEventTheProducerRefusesWithAnyExceptionAndGoOnSending() {
        producer.sendException = new IllegalArgumentException("no serializer for this record");
        publisher.publish(timing("a", 0));
        await().atMost(BOUND).until(() -> publisher.failed() == 1);

        producer.sendException = null;
        publisher.publish(timing("a", 1));
        await().atMost(BOUND).until(() -> producer.history().size() == 1);
        producer.completeNext();

        assertThat(publisher.acknowledged()).isEqualTo(1);
        assertThat(publisher.pending()).isZero();
        assertThat(publisher.firstFailure())
                .contains("IllegalArgumentException: no serializer for this record");
    }

    @Test
    void shouldCountTheEventInTheSendersHandWhenClosingInterruptsItsWaitForKafka() {
        publisher.close();
        MockProducer<SeriesKey, RequestTiming> away =
                new MockProducer<>(
                        false, null, (topic, key) -> new byte[1], (topic, value) -> null);
        away.sendException = new TimeoutException("Kafka is away");
        publisher = new TimingPublisher(away, "loadstream.timings", 100, 1, Duration.ofMillis(300));
        for (int i = 0; i < 5; i++) {
            publisher.publish(timing("a", i));
        }

        assertTimeoutPreemptively(BOUND, () -> publisher.finish(Duration.ofMillis(300)));

        assertThat(publisher.sent()).isEqualTo(5);
        assertThat(publisher.dropped()).isEqualTo(5);
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void shouldFinishWithinItsTimeoutWhenTheBrokerNeverAnswers() {
        publisher.close();
        MockProducer<SeriesKey, RequestTiming> unanswered =
                new MockProducer<>(
                        false, null, (topic, key) -> new byte[1], (topic, value) -> null) {
                    @Override
                    public void flush() {
                        // as KafkaProducer.flush() while the broker is away: no bound of its own
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            throw new InterruptException(e);
                        }
                    }
                };
        publisher = new TimingPublisher(unanswered, "loadstream.timings", 100, 1, BOUND);
        for (int i = 0; i < 5; i++) {
            publisher.publish(timing("a", i));
        }
        await().atMost(BOUND).until(() -> unanswered.history().size() == 5);

        long unacknowledged =
                assertTimeoutPreemptively(
                        BOUND.multipliedBy(2), () -> publisher.finish(Duration.ofMillis(300)));

        assertThat(unacknowledged).isEqualTo(5);
    }

    @Test
    void shouldSendEveryEventOnceFromSeveralSenders() {
        publisher.close();
        MockProducer<SeriesKey, RequestTiming> acking =
                new MockProducer<>(true, null, (topic, key) -> new byte[1], (topic, value) -> null);
        publisher = new TimingPublisher(acking, "loadstream.timings", 20_000, 3, BOUND);
        Set<Long> published = new HashSet<>();
        for (long i = 0; i < 10_000; i++) {
            publisher.publish(timing("e" + i % 3, i));
            published.add(i);
        }

        assertThat(publisher.flush(BOUND)).isTrue();

        assertThat(acking.history())
                .extracting(record -> record.value().getIntendedSendTimeUs())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(published);
        assertThat(publisher.acknowledged()).isEqualTo(10_000);
        assertThat(publisher.dropped() + publisher.failed()).isZero();
    }

    @Test
    void shouldCountEveryEventInEverySendersHandWhenClosingWhileKafkaIsAway() {
        publisher.close();
        MockProducer<SeriesKey, RequestTiming> away =
                new MockProducer<>(
                        false, null, (topic, key) -> new byte[1], (topic, value) -> null);
        away.sendException = new TimeoutException("Kafka is away");
        publisher = new TimingPublisher(away, "loadstream.timings", 100, 3, BOUND);
        for (int i = 0; i < 1_000; i++) {
            publisher.publish(timing("a", i));
        }

        assertTimeoutPreemptively(BOUND, () -> publisher.finish(Duration.ofMillis(300)));

        // whether in the buffer, in a sender's batch or refused at publish: dropped, once each
        assertThat(publisher.sent()).isEqualTo(1_000);
        assertThat(publisher.dropped()).isEqualTo(1_000);
        assertThat(publisher.acknowledged() + publisher.failed()).isZero();
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void shouldAccountForEveryEventWhenSomeFailAndKafkaAnswersLate() {
        publisher.close();
        MockProducer<SeriesKey, RequestTiming> slow =
                new MockProducer<>(
                        false, null, (topic, key) -> new byte[1], (topic, value) -> null);
        publisher = new TimingPublisher(slow, "loadstream.timings", 500, 2, BOUND);
        for (int i = 0; i < 5_000; i++) {
            publisher.publish(timing("a", i));
            if (i % 100 == 99) {
                // answers come while the buffer overflows: some acknowledged, some failed
                while (slow.completeNext()) {
                    if (!slow.errorNext(new TimeoutException("expired"))) {
                        break;
                    }
                }
            }
        }

        // the rest is acknowledged as the senders hand it over
        await().atMost(BOUND)
                .until(
                        () -> {
                            while (slow.completeNext()) {
                                // answer all that was sent so far
                            }
                            return publisher.pending() == 0;
                        });
        publisher.finish(Duration.ofMillis(500));

        assertThat(publisher.sent()).isEqualTo(5_000);
        assertThat(publisher.acknowledged() + publisher.failed() + publisher.dropped())
                .isEqualTo(5_000);
        // how many failed or were dropped depends on how far the senders got between answers,
        // which is the machine's doing; that each event is counted once is not
        assertThat(publisher.acknowledged()).isPositive();
    }

    @Test
    void shouldPublishAnEndMarkerPerEndpointAfterTheLastEventAndWaitForItsAcknowledgement() {
        publisher.close();
        MockProducer<SeriesKey, RequestTiming> acking =
                new MockProducer<>(true, null, (topic, key) -> new byte[1], (topic, value) -> null);
        publisher =
                new TimingPublisher(acking, "loadstream.timings", 100, 1, Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            publisher.publish(timing("a", i));
        }
        publisher.endWith(new RunEnd("run-1", "synthetic", List.of("a", "b"), "gen-1", 3));

        assertThat(publisher.finish(BOUND)).isZero();

        List<RequestTiming> sent = acking.history().stream().map(r -> r.value()).toList();
        assertThat(sent).hasSize(12);
        assertThat(sent.subList(0, 10)).extracting(RequestTiming::getRunEnd).containsOnly(false);
        assertThat(sent.subList(10, 12))
                .extracting(
                        RequestTiming::getEndpoint,
                        RequestTiming::getRunEnd,
                        RequestTiming::getGenerators)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("a", true, 3),
                        org.assertj.core.groups.Tuple.tuple("b", true, 3));
        assertThat(acking.history().get(10).key())
                .isEqualTo(new SeriesKey("run-1", "synthetic", "a", "gen-1"));
        assertThat(publisher.endAcknowledged()).isTrue();
        assertThat(publisher.sent()).as("markers are not events").isEqualTo(10);
        assertThat(publisher.acknowledged()).isEqualTo(10);
    }

    private static RequestTiming timing(String endpoint, long intendedUs) {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("synthetic")
                .setEndpoint(endpoint)
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(1_000)
                .setOutcome(Outcome.SUCCESS)
                .setStatusCode(200)
                .setTags(Map.of())
                .build();
    }
}
