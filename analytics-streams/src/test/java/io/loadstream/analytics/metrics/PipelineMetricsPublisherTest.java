package io.loadstream.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import io.loadstream.schemas.topic.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class PipelineMetricsPublisherTest {

    private static final Duration INTERVAL = Duration.ofMillis(20);

    private final Topics topics = new Topics("test.");
    private final PipelineMetricsCollector collector =
            new PipelineMetricsCollector(
                    "host-1",
                    Map::of,
                    () -> Map.of("test.timings", 5L),
                    new EndToEndLatency(),
                    () -> Map.of("late", 2L),
                    System::currentTimeMillis);

    @Test
    void shouldPublishEveryMetricKeyedByComponentInstanceAndMetric() {
        MockProducer<PipelineMetricKey, PipelineMetric> producer = mockProducer();
        try (PipelineMetricsPublisher publisher = publisher(producer)) {
            publisher.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.published() >= 3);
        }

        ProducerRecord<PipelineMetricKey, PipelineMetric> lag =
                producer.history().stream()
                        .filter(r -> r.key().getMetric().equals("consumer-lag:test.timings"))
                        .findFirst()
                        .orElseThrow();
        assertThat(lag.topic()).isEqualTo(topics.pipelineMetrics().name());
        assertThat(lag.key())
                .isEqualTo(new PipelineMetricKey("analyze", "host-1", lag.value().getMetric()));
        assertThat(lag.value().getValue()).isEqualTo(5.0);
        assertThat(lag.timestamp()).isEqualTo(lag.value().getTimestampMs());
    }

    @Test
    void shouldCountFailedSendsAndKeepPublishing() {
        MockProducer<PipelineMetricKey, PipelineMetric> producer = mockProducer();
        producer.sendException = new TimeoutException("broker away");
        try (PipelineMetricsPublisher publisher = publisher(producer)) {
            publisher.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.failures() >= 6);

            producer.sendException = null;
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.published() >= 3);
        }
    }

    @Test
    void shouldCountSendsThatKafkaFailsLater() {
        MockProducer<PipelineMetricKey, PipelineMetric> producer =
                new MockProducer<>(
                        false, null, (topic, key) -> new byte[0], (topic, value) -> new byte[0]);
        try (PipelineMetricsPublisher publisher = publisher(producer)) {
            publisher.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= 2);

            producer.errorNext(new TimeoutException("delivery timed out"));
            producer.completeNext();

            assertThat(publisher.failures()).isEqualTo(1);
            assertThat(publisher.published()).isEqualTo(1);
        }
    }

    @Test
    void shouldSendNothingOnceClosed() {
        MockProducer<PipelineMetricKey, PipelineMetric> producer = mockProducer();
        PipelineMetricsPublisher publisher = publisher(producer);
        publisher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= 6);

        publisher.close();
        int sent = producer.history().size();

        // ten intervals without a record; atMost only bounds a wrong publisher, whose records
        // keep coming, so it may be long without letting a slow machine fail a right one
        await().during(INTERVAL.multipliedBy(10))
                .atMost(Duration.ofSeconds(10))
                .until(() -> producer.history().size() == sent);
    }

    /** Completes every send at once; the serializers only have to exist. */
    private static MockProducer<PipelineMetricKey, PipelineMetric> mockProducer() {
        return new MockProducer<>(
                true, null, (topic, key) -> new byte[0], (topic, value) -> new byte[0]);
    }

    private PipelineMetricsPublisher publisher(
            MockProducer<PipelineMetricKey, PipelineMetric> producer) {
        return new PipelineMetricsPublisher(
                collector, producer, topics.pipelineMetrics(), INTERVAL);
    }
}
