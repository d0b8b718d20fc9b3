package io.loadstream.producers.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class TimingPublisherTest {

    private final MockProducer<SeriesKey, RequestTiming> producer =
            new MockProducer<>(false, null, (topic, key) -> new byte[1], (topic, value) -> null);
    private final TimingPublisher publisher = new TimingPublisher(producer, "loadstream.timings");

    @Test
    void shouldSendKeyedRecordsStampedWithTheIntendedSendTime() {
        RequestTiming timing = timing("checkout", 1_700_000_000_123_456L);

        publisher.publish(timing);

        assertThat(producer.history())
                .containsExactly(
                        new ProducerRecord<>(
                                "loadstream.timings",
                                null,
                                1_700_000_000_123L,
                                new SeriesKey("run-1", "synthetic", "checkout", "gen-1"),
                                timing));
    }

    @Test
    void shouldCountAcknowledgedAndFailedRecordsAndKeepTheFirstFailure() {
        for (int i = 0; i < 4; i++) {
            publisher.publish(timing("a", 1_000_000L * i));
        }
        assertThat(publisher.sent()).isEqualTo(4);
        assertThat(publisher.acknowledged()).isZero();

        producer.completeNext();
        producer.errorNext(new TimeoutException("expired before reaching the broker"));
        producer.errorNext(new IllegalStateException("later failure"));
        producer.completeNext();

        assertThat(publisher.sent()).isEqualTo(4);
        assertThat(publisher.acknowledged()).isEqualTo(2);
        assertThat(publisher.failed()).isEqualTo(2);
        assertThat(publisher.firstFailure())
                .contains("TimeoutException: expired before reaching the broker");
    }

    @Test
    void shouldCountARecordTheProducerRefusesAsFailedWithoutThrowing() {
        producer.sendException = new IllegalStateException("producer is fenced");

        publisher.publish(timing("a", 0));

        assertThat(publisher.sent()).isEqualTo(1);
        assertThat(publisher.failed()).isEqualTo(1);
        assertThat(publisher.firstFailure()).contains("IllegalStateException: producer is fenced");
    }

    @Test
    void shouldAccountForEveryRecordOnceFlushed() {
        publisher.publish(timing("a", 0));
        publisher.publish(timing("b", 1_000));

        publisher.flush();

        assertThat(publisher.acknowledged() + publisher.failed()).isEqualTo(publisher.sent());
        assertThat(publisher.firstFailure()).isEmpty();
    }

    @Test
    void shouldCloseTheProducerOnceAndCountLaterRecordsAsFailed() {
        publisher.close();
        publisher.close();
        publisher.publish(timing("a", 0));

        assertThat(producer.closed()).isTrue();
        assertThat(publisher.failed()).isEqualTo(1);
        assertThat(publisher.firstFailure())
                .hasValueSatisfying(f -> assertThat(f).contains("closed"));
    }

    private static RequestTiming timing(String endpoint, long intendedUs) {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("synthetic")
                .setEndpoint(endpoint)
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs + 10)
                .setLatencyUs(1_000)
                .setOutcome(Outcome.SUCCESS)
                .setStatusCode(200)
                .setTags(Map.of())
                .build();
    }
}
