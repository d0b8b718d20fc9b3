package io.loadstream.producers.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.schemas.histogram.Histograms;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.junit.jupiter.api.Test;

class HistogramPublisherTest {

    private static final long T0_US = 1_700_000_000_000_000L;
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final MockProducer<SeriesKey, IntervalHistogram> producer =
            new MockProducer<>(
                    true, null, (topic, key) -> new byte[1], (topic, value) -> new byte[1]);
    private final long[] now = {T0_US};
    private final HistogramPublisher publisher =
            new HistogramPublisher(
                    producer,
                    "histograms",
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    () -> now[0]);

    @Test
    void shouldPublishOneHistogramPerEndpointAndSecondOnceItsGraceHasPassed() {
        for (int i = 0; i < 100; i++) {
            publisher.publish(timing("a", T0_US + i * 10_000L, 1_000 + i, Outcome.SUCCESS));
            publisher.publish(
                    timing(
                            "b",
                            T0_US + i * 10_000L,
                            50_000,
                            i < 10 ? Outcome.HTTP_ERROR : Outcome.SUCCESS));
        }
        publisher.publish(timing("a", T0_US + 1_500_000, 7, Outcome.SUCCESS));

        now[0] = T0_US + 2_999_999;
        publisher.publishDue();
        assertThat(producer.history()).isEmpty();

        now[0] = T0_US + 3_000_000;
        publisher.publishDue();

        // the sender thread sends in the order of the ticks: the first tick sent nothing
        await().atMost(BOUND).until(() -> producer.history().size() >= 2);
        assertThat(producer.history()).hasSize(2);
        IntervalHistogram a = valueFor("a");
        IntervalHistogram b = valueFor("b");
        assertThat(a.getCount()).isEqualTo(100);
        assertThat(a.getIntervalStartUs()).isEqualTo(T0_US);
        assertThat(a.getIntervalEndUs()).isEqualTo(T0_US + 1_000_000);
        Histogram decoded = Histograms.decode(a.getHistogram());
        assertThat(decoded.getTotalCount()).isEqualTo(100);
        assertThat(decoded.getMaxValue()).isEqualTo(decoded.highestEquivalentValue(1_099));
        assertThat(b.getOutcomeCounts())
                .containsEntry("HTTP_ERROR", 10L)
                .containsEntry("SUCCESS", 90L);
        assertThat(producer.history().get(0).timestamp()).isEqualTo(T0_US / 1000);
    }

    @Test
    void shouldPublishTheWarmupOfAnIntervalInAPartialOfItsOwnMarkedWarmup() {
        // the warm-up ends half way through the first second
        for (int i = 0; i < 100; i++) {
            RequestTiming timing = timing("a", T0_US + i * 10_000L, 1_000, Outcome.SUCCESS);
            timing.setWarmup(i < 50);
            publisher.publish(timing);
        }

        publisher.close();

        assertThat(producer.history())
                .extracting(ProducerRecord::value)
                .extracting(IntervalHistogram::getWarmup, IntervalHistogram::getCount)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(true, 50L),
                        org.assertj.core.groups.Tuple.tuple(false, 50L));
        assertThat(publisher.acknowledged()).isEqualTo(100);
    }

    @Test
    void shouldPublishWhatIsOpenOnClose() {
        publisher.publish(timing("a", T0_US, 1_000, Outcome.SUCCESS));

        publisher.close();

        assertThat(producer.history()).hasSize(1);
        assertThat(publisher.sent()).isEqualTo(1);
        assertThat(publisher.acknowledged()).isEqualTo(1);
    }

    @Test
    void shouldCountEventsAsAcknowledgedWithTheHistogramThatHoldsThem() {
        for (int i = 0; i < 3; i++) {
            publisher.publish(timing("a", T0_US + i, 1_000, Outcome.SUCCESS));
        }
        publisher.publish(timing("a", T0_US + 1_000_000, 1_000, Outcome.DROPPED));
        publisher.publish(timing("b", T0_US + 1_000_000, 1_000, Outcome.SUCCESS));

        now[0] = T0_US + 3_000_000;
        publisher.tick();
        await().atMost(BOUND).until(() -> publisher.acknowledged() == 3);

        assertThat(publisher.sent()).isEqualTo(5);
        assertThat(publisher.acknowledged()).isEqualTo(3);
        assertThat(publisher.pending()).isEqualTo(2);
        assertThat(publisher.intervalsAcknowledged()).isEqualTo(1);

        publisher.finish(Duration.ofSeconds(10));

        assertThat(publisher.acknowledged()).isEqualTo(5);
        assertThat(publisher.pending()).isZero();
        assertThat(publisher.intervalsAcknowledged()).isEqualTo(3);
        assertThat(publisher.status()).isEqualTo("histograms 3");
    }

    @Test
    void shouldCountTheEventsOfARefusedHistogramAsFailed() {
        MockProducer<SeriesKey, IntervalHistogram> refusing =
                new MockProducer<>(
                        false, null, (topic, key) -> new byte[1], (topic, value) -> new byte[1]);
        HistogramPublisher failing =
                new HistogramPublisher(
                        refusing, "histograms", Duration.ofSeconds(1), Duration.ZERO, () -> now[0]);
        for (int i = 0; i < 4; i++) {
            failing.publish(timing("a", T0_US + i, 1_000, Outcome.SUCCESS));
        }
        now[0] = T0_US + 1_000_000;
        failing.tick();
        await().atMost(BOUND).until(() -> refusing.history().size() == 1);

        refusing.errorNext(new IllegalStateException("broker says no"));

        assertThat(failing.failed()).isEqualTo(4);
        assertThat(failing.pending()).isZero();
        assertThat(failing.firstFailure()).contains("IllegalStateException: broker says no");
    }

    @Test
    void shouldDropWhatIsPublishedAfterClose() {
        publisher.close();

        publisher.publish(timing("a", T0_US, 1_000, Outcome.SUCCESS));

        assertThat(publisher.sent()).isEqualTo(1);
        assertThat(publisher.dropped()).isEqualTo(1);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldNotWaitForKafkaWhenTickingAndCountEveryEventWhenClosingWhileItIsAway()
            throws Exception {
        CountDownLatch kafkaReturns = new CountDownLatch(1);
        MockProducer<SeriesKey, IntervalHistogram> stuck =
                new MockProducer<>(
                        true, null, (topic, key) -> new byte[1], (topic, value) -> new byte[1]) {
                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<SeriesKey, IntervalHistogram> record,
                            Callback callback) {
                        // as KafkaProducer.send waits for metadata while the broker is away
                        try {
                            kafkaReturns.await();
                        } catch (InterruptedException e) {
                            throw new InterruptException(e);
                        }
                        return super.send(record, callback);
                    }
                };
        HistogramPublisher blocked =
                new HistogramPublisher(
                        stuck, "histograms", Duration.ofSeconds(1), Duration.ZERO, () -> now[0]);
        for (int i = 0; i < 3; i++) {
            blocked.publish(timing("a", T0_US + i * 1_000_000L, 1_000, Outcome.SUCCESS));
            blocked.publish(timing("b", T0_US + i * 1_000_000L, 1_000, Outcome.SUCCESS));
        }

        // Kafka never returns here: a tick that waited for it would wait for ever
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> {
                    for (int second = 1; second <= 3; second++) {
                        now[0] = T0_US + second * 1_000_000L;
                        blocked.tick();
                    }
                });
        long unanswered =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(20), () -> blocked.finish(Duration.ofMillis(200)));

        assertThat(unanswered).isEqualTo(6);
        assertThat(blocked.sent()).isEqualTo(6);
        assertThat(blocked.acknowledged()).isZero();
        assertThat(blocked.failed() + blocked.dropped()).isEqualTo(6);
        assertThat(blocked.pending()).isZero();
        kafkaReturns.countDown();
    }

    private IntervalHistogram valueFor(String endpoint) {
        return producer.history().stream()
                .filter(r -> r.key().getEndpoint().equals(endpoint))
                .findFirst()
                .orElseThrow()
                .value();
    }

    @Test
    void shouldPublishAnEndMarkerPerEndpointAfterTheLastIntervals() {
        publisher.publish(timing("a", T0_US, 1_000, Outcome.SUCCESS));
        publisher.endWith(new RunEnd("r", "s", List.of("a", "b"), "g", 2));
        now[0] = T0_US + 1_500_000;

        assertThat(publisher.finish(BOUND)).isZero();

        List<IntervalHistogram> sent = producer.history().stream().map(r -> r.value()).toList();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0).getRunEnd()).isFalse();
        assertThat(sent.get(0).getCount()).isEqualTo(1);
        assertThat(sent.subList(1, 3))
                .extracting(
                        IntervalHistogram::getEndpoint,
                        IntervalHistogram::getRunEnd,
                        IntervalHistogram::getGenerators,
                        IntervalHistogram::getCount)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("a", true, 2, 0L),
                        org.assertj.core.groups.Tuple.tuple("b", true, 2, 0L));
        assertThat(sent.get(1).getIntervalStartUs()).isEqualTo(T0_US + 1_000_000);
        assertThat(publisher.endAcknowledged()).isTrue();
        assertThat(publisher.acknowledged()).isEqualTo(1);
    }

    private static RequestTiming timing(
            String endpoint, long intendedUs, long latencyUs, Outcome outcome) {
        return RequestTiming.newBuilder()
                .setRunId("r")
                .setScenario("s")
                .setEndpoint(endpoint)
                .setGeneratorId("g")
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(latencyUs)
                .setOutcome(outcome)
                .setTags(Map.of())
                .build();
    }
}
