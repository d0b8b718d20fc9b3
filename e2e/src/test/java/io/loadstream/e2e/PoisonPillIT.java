package io.loadstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.analytics.deadletter.DeadLetterHeaders;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.serde.WireFormat;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poison pill: an 11-byte value on {@code timings} in the wire format, with a schema id the
 * registry knows, whose Avro claims a 1,900,000,000-byte string. {@code analyze} runs in a child
 * JVM with a 256 MB heap, where allocating that string is an {@code OutOfMemoryError}; it must
 * instead send the record to {@code dead-letters} as unreadable, count every good event of the run
 * around it (before and after it on the same partition), and stay RUNNING.
 */
@LocalPipeline
class PoisonPillIT {

    private static final String HEAP = "256m";
    private static final int EVENTS_BEFORE = 50;
    private static final int EVENTS_AFTER = 50;
    private static final long CLAIMED_LENGTH = 1_900_000_000L;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final TestPipeline pipeline;
    @TempDir Path dir;
    private AnalyzeProcess analyze;

    PoisonPillIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @AfterEach
    void stopAnalyze() throws InterruptedException {
        if (analyze != null) {
            analyze.close();
            System.out.println("---- analyze ----\n" + analyze.output());
        }
    }

    @Test
    void shouldDeadLetterAStringClaimingGigabytesAndCountEveryEventAroundIt() throws Exception {
        String prefix = pipeline.newPrefix();
        Topics topics = pipeline.createTopics(new Topics(prefix));
        pipeline.serdes().registerSchemas(topics.timings());
        SeriesKey series = new SeriesKey("pill-run", "poison", "checkout", "gen-1");
        byte[] key =
                pipeline.serdes()
                        .keySerde(topics.timings())
                        .serializer()
                        .serialize(topics.timings().name(), series);
        long pillOffset;
        byte[] pill;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        pipeline.clientConfig().producer(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<Future<RecordMetadata>> good = new ArrayList<>();
            long startUs = System.currentTimeMillis() * 1000;
            for (int i = 0; i < EVENTS_BEFORE; i++) {
                good.add(send(producer, topics, key, timing(topics, series, startUs + i)));
            }
            pill = poisonPill(timing(topics, series, startUs));
            pillOffset = send(producer, topics, key, pill).get().offset();
            for (int i = 0; i < EVENTS_AFTER; i++) {
                good.add(send(producer, topics, key, timing(topics, series, startUs + 100 + i)));
            }
            for (Future<RecordMetadata> sent : good) {
                assertThat(sent.get().partition()).isZero();
            }
        }

        analyze = AnalyzeProcess.start(dir.resolve("analyze.log"), HEAP, options(prefix));

        try (CommittedRecords<RunKey, WindowStats> summaries =
                        pipeline.committed(topics.runSummaries());
                CommittedRecords<byte[], byte[]> deadLetters =
                        pipeline.committedBytes(topics.deadLetters().name())) {
            RunKey run = new RunKey("pill-run", "poison", "checkout");
            await("the run's events counted around the poison pill")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("analyze died", () -> !analyze.isAlive())
                    .until(
                            () -> count(summaries.readToEnd(READ_TIMEOUT), run),
                            count -> count == EVENTS_BEFORE + EVENTS_AFTER);

            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters.readToEnd(READ_TIMEOUT);
            assertThat(letters).hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            assertThat(DeadLetterHeaders.reason(letter.headers())).isEqualTo("unreadable");
            assertThat(DeadLetterHeaders.detail(letter.headers()))
                    .contains("string of " + CLAIMED_LENGTH + " bytes", pill.length + " bytes");
            assertThat(DeadLetterHeaders.sourceOffset(letter.headers())).isEqualTo(pillOffset);
            assertThat(letter.value()).isEqualTo(pill);
            assertThat(letter.key()).isEqualTo(key);
            assertThat(analyze.isAlive()).isTrue();
            assertThat(analyze.lastState()).contains("RUNNING");
            assertThat(analyze.output()).doesNotContain("OutOfMemoryError");
            System.out.printf(
                    "analyze at -Xmx%s: %d events counted, poison pill (%d bytes, offset %d) in"
                            + " dead-letters as %s, state %s%n",
                    HEAP,
                    count(summaries.records(), run),
                    pill.length,
                    pillOffset,
                    DeadLetterHeaders.reason(letter.headers()),
                    analyze.lastState().orElse("?"));
        }
    }

    /**
     * The wire-format header of {@code good} (magic byte, a schema id the registry knows), then the
     * first field's length: 1,900,000,000 bytes, of which one follows.
     */
    private static byte[] poisonPill(byte[] good) throws Exception {
        ByteArrayOutputStream pill = new ByteArrayOutputStream();
        pill.write(good, 0, WireFormat.HEADER_SIZE);
        BinaryEncoder avro = EncoderFactory.get().directBinaryEncoder(pill, null);
        avro.writeLong(CLAIMED_LENGTH);
        pill.write('x');
        assertThat(pill.size()).isEqualTo(11);
        return pill.toByteArray();
    }

    private static Future<RecordMetadata> send(
            KafkaProducer<byte[], byte[]> producer, Topics topics, byte[] key, byte[] value) {
        return producer.send(new ProducerRecord<>(topics.timings().name(), 0, key, value));
    }

    private byte[] timing(Topics topics, SeriesKey series, long intendedUs) {
        RequestTiming timing =
                RequestTiming.newBuilder()
                        .setRunId(series.getRunId())
                        .setScenario(series.getScenario())
                        .setEndpoint(series.getEndpoint())
                        .setGeneratorId(series.getGeneratorId())
                        .setIntendedSendTimeUs(intendedUs)
                        .setActualSendTimeUs(intendedUs)
                        .setLatencyUs(2_000)
                        .setOutcome(Outcome.SUCCESS)
                        .setStatusCode(200)
                        .setTags(Map.of())
                        .build();
        return pipeline.serdes()
                .valueSerde(topics.timings())
                .serializer()
                .serialize(topics.timings().name(), timing);
    }

    private static long count(List<ConsumerRecord<RunKey, WindowStats>> records, RunKey run) {
        return Optional.ofNullable(CommittedRecords.latestByKey(records).get(run))
                .map(WindowStats::getCount)
                .orElse(0L);
    }

    private List<String> options(String prefix) {
        return List.of(
                "--bootstrap-servers",
                pipeline.bootstrapServers(),
                "--schema-registry-url",
                pipeline.registryUrl(),
                "--topic-prefix",
                prefix,
                "--application-id",
                prefix + "analyze",
                "--state-dir",
                dir.resolve("state").toString(),
                "--threads",
                "1");
    }
}
