package io.loadstream.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trivial exactly-once Streams application over pre-loaded input on a real broker, with the
 * publisher at a one-second interval: pipeline-metrics gets the processing rate, the input topic's
 * lag down to zero, the end-to-end latency the application recorded and the dead-letter count; the
 * Prometheus endpoint serves the Streams metrics and the dead letters.
 */
@LocalPipeline
class PipelineMetricsPublisherIT {

    private static final int RECORDS = 2_000;
    private static final long LATENCY_MS = 42;
    private static final Map<String, Long> DEAD_LETTERS = Map.of("unreadable", 3L, "late", 4L);

    @TempDir Path stateDir;

    @Test
    void shouldPublishRateLagLatencyAndDeadLettersOfARunningApplication(TestPipeline pipeline)
            throws Exception {
        String prefix = pipeline.newPrefix();
        Topics topics = pipeline.createTopics(new Topics(prefix, 3));
        // any input topic will do: the application reads its records as bytes
        String input = topics.timings().name();
        produceInput(pipeline, input);
        String applicationId = prefix + "metrics";
        EndToEndLatency latency = new EndToEndLatency();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .foreach((key, value) -> latency.record(LATENCY_MS));
        Properties props = new Properties();
        props.putAll(AnalyzeApp.streamsConfig(pipeline.clientConfig(), applicationId, 1, stateDir));

        try (Admin admin = Admin.create(pipeline.clientConfig().admin());
                KafkaProducer<PipelineMetricKey, PipelineMetric> producer =
                        pipeline.producer(topics.pipelineMetrics());
                KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            ConsumerGroupLag lag =
                    new ConsumerGroupLag(
                            admin, applicationId, List.of(input), Duration.ofSeconds(10));
            // nothing committed yet: the whole topic is behind
            assertThat(lag.byTopic()).containsExactly(Map.entry(input, (long) RECORDS));

            streams.start();
            PipelineMetricsCollector collector =
                    new PipelineMetricsCollector(
                            "it-instance",
                            streams::metrics,
                            lag::byTopic,
                            latency,
                            () -> DEAD_LETTERS,
                            System::currentTimeMillis);
            try (PipelineMetricsPublisher publisher =
                            new PipelineMetricsPublisher(
                                    collector,
                                    producer,
                                    topics.pipelineMetrics(),
                                    Duration.ofSeconds(1));
                    StreamsMetricsEndpoint endpoint =
                            StreamsMetricsEndpoint.start(
                                    streams, () -> DEAD_LETTERS, "127.0.0.1", 0);
                    CommittedRecords<PipelineMetricKey, PipelineMetric> metrics =
                            pipeline.committed(topics.pipelineMetrics())) {
                publisher.start();
                List<PipelineMetric> received = new ArrayList<>();
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> {
                                    received.clear();
                                    received.addAll(values(metrics.poll()));
                                    return rateSeen(received)
                                            && lagZeroSeen(received, input)
                                            && latencyCount(received) >= RECORDS;
                                });

                assertThat(received)
                        .filteredOn(m -> m.getMetric().equals("end-to-end-latency"))
                        .allSatisfy(m -> assertThat(m.getValue()).isEqualTo(LATENCY_MS));
                PipelineMetric deadLetters = latest(received, "dead-letters");
                assertThat(deadLetters.getValue()).isEqualTo(7.0);
                assertThat(deadLetters.getAttributes())
                        .containsEntry("unreadable", "3")
                        .containsEntry("late", "4");
                assertThat(latest(received, "consumer-lag:" + input).getAttributes())
                        .containsEntry("topic", input);
                assertThat(received)
                        .allSatisfy(
                                m -> {
                                    assertThat(m.getComponent()).isEqualTo("analyze");
                                    assertThat(m.getInstance()).isEqualTo("it-instance");
                                });
                assertThat(publisher.failures()).isZero();

                String scrape = scrape(endpoint.port());
                assertThat(scrape)
                        .contains("loadstream_analyze_dead_letters_total 7.0")
                        .contains(
                                "loadstream_analyze_dead_letters_by_reason_total{reason=\"late\"}"
                                        + " 4.0")
                        .contains("kafka_stream_thread_process_total");
            }
        }
    }

    private static void produceInput(TestPipeline pipeline, String topic) {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        pipeline.clientConfig().producer(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, ("key-" + i).getBytes(), new byte[8]));
            }
            producer.flush();
        }
    }

    /** The metrics published, in order; each keyed by its own name. */
    private static List<PipelineMetric> values(
            List<ConsumerRecord<PipelineMetricKey, PipelineMetric>> records) {
        for (ConsumerRecord<PipelineMetricKey, PipelineMetric> r : records) {
            assertThat(r.key().getMetric()).isEqualTo(r.value().getMetric());
        }
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static boolean rateSeen(List<PipelineMetric> received) {
        return received.stream()
                .anyMatch(m -> m.getMetric().equals("records-processed-rate") && m.getValue() > 0);
    }

    private static boolean lagZeroSeen(List<PipelineMetric> received, String input) {
        return received.stream()
                .anyMatch(m -> m.getMetric().equals("consumer-lag:" + input) && m.getValue() == 0);
    }

    private static long latencyCount(List<PipelineMetric> received) {
        return received.stream()
                .filter(m -> m.getMetric().equals("end-to-end-latency"))
                .mapToLong(m -> Long.parseLong(m.getAttributes().get("count")))
                .sum();
    }

    private static PipelineMetric latest(List<PipelineMetric> received, String metric) {
        return received.stream()
                .filter(m -> m.getMetric().equals(metric))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no " + metric + " in " + received));
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
