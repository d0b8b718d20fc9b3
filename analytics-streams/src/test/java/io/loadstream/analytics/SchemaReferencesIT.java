package io.loadstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.registry.SchemaDefinition;
import io.loadstream.schemas.registry.SchemaReference;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.serde.WireFormat;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timing events written by another Confluent-compatible serializer, which registers the {@code
 * Outcome} enum as a subject of its own and refers to it from {@code RequestTiming}'s schema:
 * analyze counts every one of them in the run summaries and sends none to the dead letters.
 */
@LocalPipeline
class SchemaReferencesIT {

    private static final int RECORDS = 1_000;
    private static final int WINDOWS = 10;

    /** Pre-loaded events reach the windows out of order; none of them may be late. */
    private static final Duration GRACE = Duration.ofSeconds(60);

    @TempDir Path stateDir;

    @Test
    void shouldCountEveryRecordWrittenWithAReferencingSchema(TestPipeline pipeline) {
        Topics topics = pipeline.newTopics();
        int id = registerTimingReferringToOutcome(pipeline.registryClient(), topics);
        String runId = "refs-" + UUID.randomUUID();
        long t0Us = (System.currentTimeMillis() - Duration.ofHours(1).toMillis()) * 1000;
        Map<String, Long> outcomes = new HashMap<>();

        try (AnalyzeApp analyze = analyze(pipeline, topics)) {
            analyze.start();
            try (var producer =
                    new KafkaProducer<>(
                            pipeline.clientConfig().producer(),
                            pipeline.serdes().keySerde(topics.timings()).serializer(),
                            thirdPartySerializer(id))) {
                for (int i = 0; i < RECORDS; i++) {
                    RequestTiming timing = timing(runId, i, t0Us);
                    outcomes.merge(timing.getOutcome().name(), 1L, Long::sum);
                    producer.send(
                            new ProducerRecord<>(topics.timings().name(), key(timing), timing));
                }
            }
            WindowStats checkout = awaitRunSummary(pipeline, topics, runId);

            assertThat(checkout.getCount()).isEqualTo(RECORDS);
            assertThat(checkout.getOutcomeCounts()).isEqualTo(outcomes);
            assertThat(analyze.deadLetterCounts().total()).isZero();
            try (var deadLetters = pipeline.committedBytes(topics.deadLetters().name())) {
                assertThat(deadLetters.readToEnd(Duration.ofSeconds(30))).isEmpty();
            }
        }
    }

    /** Waits until the run's summary of its one endpoint counts every record; returns it. */
    private static WindowStats awaitRunSummary(TestPipeline pipeline, Topics topics, String runId) {
        RunKey key = new RunKey(runId, "third-party", "checkout");
        try (CommittedRecords<RunKey, WindowStats> summaries =
                pipeline.committed(topics.runSummaries())) {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> {
                                WindowStats summary =
                                        CommittedRecords.latestByKey(summaries.poll()).get(key);
                                return summary != null && summary.getCount() >= RECORDS;
                            });
            return CommittedRecords.latestByKey(summaries.records()).get(key);
        }
    }

    /**
     * Registers as other serializers do: the enum under its full name as subject, and the record
     * under the topic's value subject with its text naming the enum and a reference to it.
     */
    private static int registerTimingReferringToOutcome(
            SchemaRegistryClient registry, Topics topics) {
        Schema outcome = Outcome.getClassSchema();
        registry.register(outcome.getFullName(), outcome);
        int version = registry.lookup(outcome.getFullName(), outcome).version();
        SchemaReference reference =
                new SchemaReference(outcome.getFullName(), outcome.getFullName(), version);
        return registry.register(
                WireFormat.subject(topics.timings().name(), false),
                new SchemaDefinition(timingNamingOutcome(), List.of(reference)));
    }

    /** RequestTiming's text with the enum named, not inlined. */
    @SuppressWarnings("deprecation")
    private static String timingNamingOutcome() {
        return RequestTiming.getClassSchema().toString(List.of(Outcome.getClassSchema()), false);
    }

    /**
     * Magic byte 0, the 4-byte schema id, and the record's Avro binary in the writer schema, parsed
     * as its owner has it: the enum first, then the text that names it.
     */
    private static Serializer<RequestTiming> thirdPartySerializer(int id) {
        Schema.Parser parser = new Schema.Parser();
        parser.parse(Outcome.getClassSchema().toString());
        SpecificDatumWriter<RequestTiming> datumWriter =
                new SpecificDatumWriter<>(parser.parse(timingNamingOutcome()));
        return (topic, timing) -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(WireFormat.MAGIC_BYTE);
            bytes.writeBytes(
                    new byte[] {
                        (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id
                    });
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            try {
                datumWriter.write(timing, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
    }

    private AnalyzeApp analyze(TestPipeline pipeline, Topics topics) {
        return new AnalyzeApp(
                pipeline.clientConfig(),
                "it-refs-" + UUID.randomUUID(),
                1,
                stateDir,
                new AnalyzeSettings(
                        AnalyzeSettings.DEFAULT_WINDOW,
                        GRACE,
                        Duration.ofSeconds(10),
                        AnalyzeSettings.DEFAULT_EMIT_INTERVAL,
                        AnalyzeSettings.DEFAULT_ROLLUPS),
                pipeline.serdes(),
                topics);
    }

    private static RequestTiming timing(String runId, int i, long t0Us) {
        long intendedUs = t0Us + i * (WINDOWS * 1_000_000L / RECORDS);
        Outcome outcome =
                i % 10 == 0 ? Outcome.HTTP_ERROR : i % 25 == 0 ? Outcome.TIMEOUT : Outcome.SUCCESS;
        return RequestTiming.newBuilder()
                .setRunId(runId)
                .setScenario("third-party")
                .setEndpoint("checkout")
                .setGeneratorId("gen-" + i % 3)
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs + 50)
                .setLatencyUs(1_000 + i)
                .setOutcome(outcome)
                .setStatusCode(outcome == Outcome.SUCCESS ? 200 : 503)
                .setTags(Map.of())
                .build();
    }

    private static SeriesKey key(RequestTiming timing) {
        return new SeriesKey(
                timing.getRunId(),
                timing.getScenario(),
                timing.getEndpoint(),
                timing.getGeneratorId());
    }
}
