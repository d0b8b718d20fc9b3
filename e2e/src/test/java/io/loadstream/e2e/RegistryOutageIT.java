package io.loadstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.cluster.registry.EmbeddedSchemaRegistry;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A schema registry outage while {@code analyze} starts on a backlog: the events are on {@code
 * timings}, the registry is stopped, and a fresh analyze instance (empty schema cache, empty state)
 * starts on them; 20 s after the stop the registry comes back on the same port. Not one of the
 * valid events may go to {@code dead-letters}: analyze waits for the registry with the first record
 * in hand, counts nothing meanwhile, and afterwards the run summaries equal the acknowledged
 * events.
 *
 * <p>The registry is one of the test's own (the module's shared one is not stopped), keeping its
 * schemas in a topic of the shared broker, so the one started after the outage knows them.
 */
@ResourceLock(value = FaultsPipelineIT.MACHINE, mode = ResourceAccessMode.READ)
@LocalPipeline
@Execution(ExecutionMode.CONCURRENT)
class RegistryOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final List<String> ENDPOINTS = List.of("home", "search", "checkout");
    private static final List<String> GENERATORS = List.of("gen-1", "gen-2");
    private static final int EVENTS_PER_SERIES = 100;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
    private static final EnumSet<KafkaStreams.State> STOPPED =
            EnumSet.of(
                    KafkaStreams.State.PENDING_ERROR,
                    KafkaStreams.State.ERROR,
                    KafkaStreams.State.PENDING_SHUTDOWN,
                    KafkaStreams.State.NOT_RUNNING);

    private final TestPipeline pipeline;
    @TempDir Path dir;
    private EmbeddedSchemaRegistry registry;
    private AnalyzeApp analyze;

    RegistryOutageIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @AfterEach
    void stop() {
        if (analyze != null) {
            analyze.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldWaitForTheRegistryInsteadOfDeadLetteringValidEvents() throws Exception {
        String prefix = pipeline.newPrefix();
        Topics topics = pipeline.createTopics(new Topics(prefix));
        String registryTopic = Topics.registryTopic(prefix);
        registry = EmbeddedSchemaRegistry.start(pipeline.clientConfig().common(), registryTopic);
        String url = registry.url();
        int port = URI.create(url).getPort();
        Map<String, Long> acknowledged = produceBacklog(topics, serdes(url), "outage-run");

        registry.close();
        registry = null;
        long outageStart = System.nanoTime();
        analyze =
                new AnalyzeApp(
                        pipeline.clientConfig(),
                        prefix + "analyze",
                        2,
                        dir,
                        AnalyzeSettings.defaults(),
                        serdes(url),
                        topics);
        analyze.start();
        await("analyze waiting for the registry: no dead letters, still running")
                .during(OUTAGE.minusNanos(System.nanoTime() - outageStart))
                .atMost(OUTAGE.plusSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                analyze.deadLetterCounts().total() == 0
                                        && !STOPPED.contains(analyze.streams().state()));
        try (CommittedRecords<byte[], byte[]> rawSummaries =
                pipeline.committedBytes(topics.runSummaries().name())) {
            assertThat(rawSummaries.readToEnd(READ_TIMEOUT))
                    .as("run summaries written while the registry was away")
                    .isEmpty();
        }
        registry =
                EmbeddedSchemaRegistry.start(pipeline.clientConfig().common(), registryTopic, port);
        Duration outage = Duration.ofNanos(System.nanoTime() - outageStart);

        AvroSerdes readers = serdes(url);
        try (CommittedRecords<RunKey, WindowStats> summaries =
                        new CommittedRecords<>(
                                pipeline.clientConfig(),
                                topics.runSummaries().name(),
                                readers.keySerde(topics.runSummaries()).deserializer(),
                                readers.valueSerde(topics.runSummaries()).deserializer());
                CommittedRecords<byte[], byte[]> deadLetters =
                        pipeline.committedBytes(topics.deadLetters().name())) {
            await("run summaries equal to the acknowledged events")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> counts(summaries, "outage-run"), acknowledged::equals);

            assertThat(deadLetters.readToEnd(READ_TIMEOUT)).isEmpty();
            assertThat(analyze.deadLetterCounts().total()).isZero();
            assertThat(analyze.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            System.out.printf(
                    "registry away for %.1f s while analyze started on a backlog of %d events:"
                            + " counted %s, dead letters %d, stream threads replaced %d%n",
                    outage.toMillis() / 1000.0,
                    acknowledged.values().stream().mapToLong(Long::longValue).sum(),
                    counts(summaries, "outage-run"),
                    deadLetters.records().size(),
                    analyze.threadReplacements());
        }
    }

    /** Publishes the events of a run, and returns how many the broker acknowledged per endpoint. */
    private Map<String, Long> produceBacklog(Topics topics, AvroSerdes serdes, String runId) {
        serdes.registerSchemas(topics.timings());
        Map<String, LongAdder> acks = new ConcurrentHashMap<>();
        long startUs = System.currentTimeMillis() * 1000;
        try (KafkaProducer<SeriesKey, RequestTiming> producer =
                new KafkaProducer<>(
                        pipeline.clientConfig().producer(),
                        serdes.keySerde(topics.timings()).serializer(),
                        serdes.valueSerde(topics.timings()).serializer())) {
            for (int i = 0; i < EVENTS_PER_SERIES; i++) {
                for (String endpoint : ENDPOINTS) {
                    LongAdder endpointAcks = acks.computeIfAbsent(endpoint, e -> new LongAdder());
                    for (String generator : GENERATORS) {
                        SeriesKey key = new SeriesKey(runId, "outage", endpoint, generator);
                        producer.send(
                                new ProducerRecord<>(
                                        topics.timings().name(),
                                        key,
                                        timing(key, startUs + i * 5_000L)),
                                (metadata, e) -> {
                                    if (e == null) {
                                        endpointAcks.increment();
                                    }
                                });
                    }
                }
            }
            producer.flush();
        }
        Map<String, Long> acknowledged = new TreeMap<>();
        acks.forEach((endpoint, count) -> acknowledged.put(endpoint, count.sum()));
        assertThat(acknowledged.values())
                .allSatisfy(count -> assertThat(count).isEqualTo(EVENTS_PER_SERIES * 2L));
        return acknowledged;
    }

    /** The latest run summary count of each endpoint of {@code runId}. */
    private static Map<String, Long> counts(
            CommittedRecords<RunKey, WindowStats> summaries, String runId) {
        return CommittedRecords.latestByKey(summaries.readToEnd(READ_TIMEOUT)).entrySet().stream()
                .filter(e -> e.getKey().getRunId().equals(runId) && e.getValue() != null)
                .collect(
                        Collectors.toMap(
                                e -> e.getKey().getEndpoint(),
                                e -> e.getValue().getCount(),
                                (a, b) -> b,
                                TreeMap::new));
    }

    /** Serdes on a registry client of their own, with an empty cache. */
    private static AvroSerdes serdes(String registryUrl) {
        return new AvroSerdes(new SchemaRegistryClient(SchemaRegistryConfig.of(registryUrl)));
    }

    private static RequestTiming timing(SeriesKey key, long intendedUs) {
        return RequestTiming.newBuilder()
                .setRunId(key.getRunId())
                .setScenario(key.getScenario())
                .setEndpoint(key.getEndpoint())
                .setGeneratorId(key.getGeneratorId())
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs)
                .setLatencyUs(1_500)
                .setOutcome(Outcome.SUCCESS)
                .setStatusCode(200)
                .setTags(Map.of())
                .build();
    }
}
