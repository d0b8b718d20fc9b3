package io.loadstream.e2e;

import static io.loadstream.e2e.SentLatencies.WINDOW_MS;
import static io.loadstream.e2e.SentLatencies.assertSameLatencies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.analytics.AnalyzeTopology;
import io.loadstream.analytics.deadletter.DeadLetterHeaders;
import io.loadstream.analytics.deadletter.DeadLetterReason;
import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.producers.publish.HistogramPublisher;
import io.loadstream.schemas.histogram.Histograms;
import io.loadstream.schemas.histogram.LatencyAggregate;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics at scale on a real broker, run as in production (exactly-once, two stream threads,
 * six partitions a topic): generators in raw and in histogram mode merged exactly while a hot
 * endpoint's raw events spread over stage-1 tasks; a flood of malformed records routed to dead
 * letters while the application keeps running; late events counted in the run and dead-lettered.
 *
 * <p>Generators publish live, as in a running load test: each second of event time in its own
 * second of wall-clock time, at about half of what this pipeline keeps up with on 2 cores, and in
 * histogram mode each interval 2 s after its end. Stage 2 closes a window once every source of
 * partials that it has heard from has passed it, so a source that is ahead (a backlog published in
 * one burst, or a histogram-mode generator without that grace) can close windows before a stage-1
 * task has been heard from, whose partials then count as late; a live run is never that far ahead.
 */
@LocalPipeline
class AnalyticsAtScaleIT {

    private static final String SCENARIO = "scale";

    /**
     * The defaults but for the idle timeout, 10 s instead of 60 s, so that the last windows of a
     * run are final 10 s after it. No instance dies here, and a stall of the pipeline's input as
     * long as that is far longer than those of a busy 2-core machine that runs the broker, the
     * generators and the analytics at once.
     */
    private static final AnalyzeSettings SETTINGS =
            new AnalyzeSettings(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1),
                    List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)));

    private static final List<Long> ROLLUPS_MS = List.of(10_000L, 60_000L);

    /** Names the stage-1 task that wrote a partial ({@code PartialProgress}, package-private). */
    private static final String PARTIAL_SOURCE_HEADER = "loadstream.partial.source";

    private final TestPipeline pipeline;
    @TempDir Path stateDir;

    private final List<AutoCloseable> closeAfterTest = new ArrayList<>();

    AnalyticsAtScaleIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @AfterEach
    void closeTestResources() throws Exception {
        Collections.reverse(closeAfterTest);
        for (AutoCloseable resource : closeAfterTest) {
            resource.close();
        }
    }

    // --- 1. raw and histogram-mode generators, a hot endpoint over several tasks ---

    private static final String HOT = "search";
    private static final List<String> ENDPOINTS = List.of(HOT, "cart", "pay");
    private static final List<String> RAW_GENERATORS = List.of("g1", "g2");
    private static final List<String> HISTOGRAM_GENERATORS = List.of("g3", "g4");
    private static final int MIXED_RUN_SECONDS = 10;
    private static final int PER_GENERATOR_SECOND = 1_000;

    /**
     * How long after an interval's end a generator in histogram mode publishes it, as the command
     * line sets it: stage 2 relies on stage 1 being heard from within that time, see the class
     * comment.
     */
    private static final Duration HISTOGRAM_MODE_GRACE = Duration.ofSeconds(2);

    /** What the generators of the mixed run sent, and where the raw series went. */
    private record MixedRun(
            SentLatencies sent,
            Map<SeriesKey, Set<Integer>> partitionsBySeries,
            long hotRawEvents) {}

    @Test
    void shouldMergeRawAndHistogramGeneratorsExactlyWithAHotEndpoint() throws Exception {
        InProcessAnalyze analyze = startAnalyze();
        Topics topics = analyze.topics();
        String runId = runIdSpreadingHotEndpoint(topics.timings());
        long t0Ms = secondsAgoAlignedTo10s(25) + 5_000; // the run spans two 10 s rollups

        MixedRun run = publishMixedRun(topics, runId, t0Ms);

        Set<String> hotTasks = assertHotEndpointOnSeveralTasks(analyze, run, runId);
        SentLatencies sent = run.sent();
        assertThat(sent.total()).isEqualTo(MIXED_RUN_SECONDS * PER_GENERATOR_SECOND * 4L);
        try (CommittedRecords<WindowKey, WindowStats> windowStats =
                        pipeline.committed(topics.windowStats());
                CommittedRecords<RunKey, WindowStats> summaries =
                        pipeline.committed(topics.runSummaries())) {
            Map<WindowKey, WindowStats> finals =
                    awaitFinalWindows(windowStats, runId, sent, analyze.app());
            Map<String, WindowStats> totals = awaitRunTotals(summaries, runId, sent.total());

            sent.windows()
                    .forEach(
                            (key, want) -> {
                                WindowStats stats = finals.get(key);
                                assertSameLatencies(stats, want, key.toString());
                                assertThat(stats.getErrors())
                                        .as("errors of %s", key)
                                        .isEqualTo(sent.errors(key));
                                assertThat(stats.getLate()).as("late of %s", key).isZero();
                            });
            sent.rollups(ROLLUPS_MS)
                    .forEach(
                            (key, want) -> {
                                assertThat(finals.get(key).getCount())
                                        .as("%s against its 1 s windows", key)
                                        .isEqualTo(sumOfSecondsIn(finals, key));
                                assertSameLatencies(finals.get(key), want, key.toString());
                            });
            for (String endpoint : ENDPOINTS) {
                WindowStats total = totals.get(endpoint);
                assertSameLatencies(total, sent.run(endpoint), "run total of " + endpoint);
                assertThat(total.getLate()).isZero();
            }
        }
        assertHotRawEventsCameThrough(topics, runId, hotTasks, run.hotRawEvents());
        assertThat(analyze.app().deadLetterCounts().total()).isZero();
        assertThat(analyze.app().streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    /**
     * Two raw generators publish events to {@code timings}; two in histogram mode publish one
     * partial per endpoint and second to {@code histograms} once their clock is past its end by the
     * grace period. Each generator sends 80 % of its requests to the hot endpoint.
     */
    private MixedRun publishMixedRun(Topics topics, String runId, long t0Ms) throws Exception {
        SentLatencies sent = new SentLatencies();
        Map<SeriesKey, Set<Integer>> partitionsBySeries = new ConcurrentHashMap<>();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        AtomicLong hotRawEvents = new AtomicLong();
        AtomicLong clockUs = new AtomicLong();
        Random random = new Random(42);
        KafkaProducer<SeriesKey, IntervalHistogram> partials =
                pipeline.producer(topics.histograms());
        HistogramPublisher histogramMode =
                new HistogramPublisher(
                        partials,
                        topics.histograms().name(),
                        Duration.ofSeconds(1),
                        HISTOGRAM_MODE_GRACE,
                        clockUs::get);
        try (KafkaProducer<SeriesKey, RequestTiming> raw = pipeline.producer(topics.timings())) {
            everySecond(
                    MIXED_RUN_SECONDS,
                    second -> {
                        for (int i = 0; i < PER_GENERATOR_SECOND; i++) {
                            String endpoint = ENDPOINTS.get(i % 10 < 8 ? 0 : i % 10 - 7);
                            long intendedUs = (t0Ms + second * WINDOW_MS) * 1000 + i * 1000L;
                            for (String generator : RAW_GENERATORS) {
                                RequestTiming timing =
                                        timing(runId, endpoint, generator, intendedUs, random);
                                sent.record(timing);
                                hotRawEvents.addAndGet(endpoint.equals(HOT) ? 1 : 0);
                                SeriesKey key = seriesOf(timing);
                                raw.send(
                                        record(topics.timings(), timing),
                                        (metadata, e) -> {
                                            if (e != null) {
                                                sendFailure.compareAndSet(null, e);
                                                return;
                                            }
                                            partitionsBySeries
                                                    .computeIfAbsent(
                                                            key, k -> ConcurrentHashMap.newKeySet())
                                                    .add(metadata.partition());
                                        });
                            }
                            for (String generator : HISTOGRAM_GENERATORS) {
                                RequestTiming timing =
                                        timing(runId, endpoint, generator, intendedUs, random);
                                sent.record(timing);
                                histogramMode.publish(timing);
                            }
                        }
                        clockUs.set((t0Ms + (second + 1) * WINDOW_MS) * 1000);
                        histogramMode.publishDue();
                        raw.flush();
                        partials.flush();
                    });
        } finally {
            // publishes the intervals still open, as a generator does when it stops
            histogramMode.close();
        }
        assertThat(sendFailure.get()).isNull();
        assertThat(histogramMode.failed()).isZero();
        assertThat(histogramMode.intervalsAcknowledged())
                .isEqualTo(
                        (long) MIXED_RUN_SECONDS * ENDPOINTS.size() * HISTOGRAM_GENERATORS.size());
        return new MixedRun(sent, partitionsBySeries, hotRawEvents.get());
    }

    /**
     * The hot endpoint's raw series went to different partitions of {@code timings}, each read by
     * an active task of its own; returns those tasks.
     */
    private static Set<String> assertHotEndpointOnSeveralTasks(
            InProcessAnalyze analyze, MixedRun run, String runId) {
        Set<Integer> hotPartitions = new HashSet<>();
        for (String generator : RAW_GENERATORS) {
            Set<Integer> partitions =
                    run.partitionsBySeries().get(new SeriesKey(runId, SCENARIO, HOT, generator));
            assertThat(partitions).as("partitions of %s/%s", HOT, generator).hasSize(1);
            hotPartitions.addAll(partitions);
        }
        assertThat(hotPartitions).hasSizeGreaterThanOrEqualTo(2);
        Map<TopicPartition, TaskId> tasks = analyze.activeTasksByPartition();
        Set<String> hotTasks = new HashSet<>();
        for (int partition : hotPartitions) {
            String timings = analyze.topics().timings().name();
            TaskId task = tasks.get(new TopicPartition(timings, partition));
            assertThat(task).as("task of %s-%d", timings, partition).isNotNull();
            hotTasks.add(task.toString());
        }
        assertThat(hotTasks).hasSameSizeAs(hotPartitions);
        return hotTasks;
    }

    /** Every hot raw event reached stage 2 in a partial written by one of {@code hotTasks}. */
    private void assertHotRawEventsCameThrough(
            Topics topics, String runId, Set<String> hotTasks, long hotRawEvents) {
        Map<String, Long> countBySource = new TreeMap<>();
        try (CommittedRecords<SeriesKey, IntervalHistogram> histograms =
                pipeline.committed(topics.histograms())) {
            for (ConsumerRecord<SeriesKey, IntervalHistogram> r :
                    histograms.readToEnd(Duration.ofSeconds(30))) {
                IntervalHistogram partial = r.value();
                if (partial.getRunId().equals(runId)
                        && partial.getEndpoint().equals(HOT)
                        && RAW_GENERATORS.contains(partial.getGeneratorId())) {
                    Header source = r.headers().lastHeader(PARTIAL_SOURCE_HEADER);
                    assertThat(source).isNotNull();
                    countBySource.merge(
                            new String(source.value(), StandardCharsets.UTF_8),
                            partial.getCount(),
                            Long::sum);
                }
            }
        }
        assertThat(countBySource.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        hotTasks.stream().map(task -> "stage-1-task-" + task).toList());
        assertThat(countBySource.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(hotRawEvents);
    }

    private static long sumOfSecondsIn(Map<WindowKey, WindowStats> finals, WindowKey rollup) {
        long start = rollup.getWindowStartMs();
        return finals.values().stream()
                .filter(s -> s.getResolutionMs() == WINDOW_MS)
                .filter(s -> s.getEndpoint().equals(rollup.getEndpoint()))
                .filter(s -> s.getWindowStartMs() >= start)
                .filter(s -> s.getWindowStartMs() < start + rollup.getResolutionMs())
                .mapToLong(WindowStats::getCount)
                .sum();
    }

    // --- 2. malformed records among good ones ---

    /** 100,000 good events, 5,000 a second. */
    private static final int MALFORMED_RUN_SECONDS = 20;

    private static final int GOOD_PER_SECOND = 5_000;

    /** One record in 101 is malformed. */
    private static final int MALFORMED_PER_SECOND = 50;

    private static final List<DeadLetterReason> MALFORMED_KINDS =
            List.of(
                    DeadLetterReason.UNREADABLE,
                    DeadLetterReason.UNKNOWN_SCHEMA,
                    DeadLetterReason.NEGATIVE_LATENCY,
                    DeadLetterReason.LATENCY_OUT_OF_RANGE,
                    DeadLetterReason.FUTURE_SEND_TIME);

    /** A schema id that the registry of this test never hands out. */
    private static final int UNKNOWN_SCHEMA_ID = 999_999;

    @Test
    void shouldSendMalformedRecordsToDeadLettersAndKeepRunning() throws Exception {
        InProcessAnalyze analyze = startAnalyze();
        Topics topics = analyze.topics();
        String runId = "scale-" + UUID.randomUUID();
        SentLatencies sent = new SentLatencies();

        Map<String, DeadLetterReason> malformedAt =
                publishWithMalformed(topics, runId, secondsAgoAlignedTo10s(30), sent);

        int malformed = MALFORMED_RUN_SECONDS * MALFORMED_PER_SECOND;
        assertThat(malformedAt).hasSize(malformed);
        assertThat(sent.total()).isEqualTo(100_000);
        try (CommittedRecords<WindowKey, WindowStats> windowStats =
                        pipeline.committed(topics.windowStats());
                CommittedRecords<RunKey, WindowStats> summaries =
                        pipeline.committed(topics.runSummaries());
                CommittedRecords<byte[], byte[]> deadLetters =
                        pipeline.committedBytes(topics.deadLetters().name())) {
            Map<WindowKey, WindowStats> finals =
                    awaitFinalWindows(windowStats, runId, sent, analyze.app());
            awaitRunTotals(summaries, runId, 100_000);
            long inSeconds =
                    finals.values().stream()
                            .filter(s -> s.getResolutionMs() == WINDOW_MS)
                            .mapToLong(WindowStats::getCount)
                            .sum();
            assertThat(inSeconds).isEqualTo(100_000);
            sent.windows()
                    .forEach(
                            (key, want) ->
                                    assertSameLatencies(finals.get(key), want, key.toString()));

            // the run's output is committed, and the dead letters with it (their transaction
            // markers may be written a moment after the windows')
            List<ConsumerRecord<byte[], byte[]>> dead = awaitAll(deadLetters, malformed);
            Map<String, DeadLetterReason> deadAt = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : dead) {
                assertThat(DeadLetterHeaders.sourceTopic(letter.headers()))
                        .isEqualTo(topics.timings().name());
                deadAt.put(sourceOf(letter.headers()), reasonOf(letter.headers()));
            }
            // each malformed record is there once, from where it was sent, for why it was bad
            assertThat(deadAt).isEqualTo(malformedAt);
            Map<DeadLetterReason, Long> byReason =
                    deadAt.values().stream()
                            .collect(Collectors.groupingBy(r -> r, Collectors.counting()));
            assertThat(byReason)
                    .containsOnlyKeys(MALFORMED_KINDS)
                    .allSatisfy((reason, count) -> assertThat(count).isEqualTo(malformed / 5));
        }
        for (DeadLetterReason kind : MALFORMED_KINDS) {
            assertThat(analyze.app().deadLetterCounts().count(kind))
                    .as(kind.label())
                    .isEqualTo(malformed / 5);
        }
        assertThat(analyze.app().deadLetterCounts().total()).isEqualTo(malformed);
        assertThat(analyze.app().streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    /**
     * Four generators' events to two endpoints on {@code timings}, every 101st record malformed,
     * each kind in turn, through one byte-array producer so that good and bad records interleave in
     * every partition; returns the reason each malformed record must be refused for, by partition
     * and offset.
     */
    private Map<String, DeadLetterReason> publishWithMalformed(
            Topics topics, String runId, long t0Ms, SentLatencies sent) throws Exception {
        String topic = topics.timings().name();
        List<String> endpoints = List.of("list", "detail");
        List<String> generators = List.of("g1", "g2", "g3", "g4");
        Serializer<SeriesKey> keys = pipeline.serdes().keySerde(topics.timings()).serializer();
        Serializer<RequestTiming> values =
                pipeline.serdes().valueSerde(topics.timings()).serializer();
        Map<String, DeadLetterReason> malformedAt = new ConcurrentHashMap<>();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        AtomicLong malformedSent = new AtomicLong();
        Random random = new Random(7);
        int perSecond = GOOD_PER_SECOND + MALFORMED_PER_SECOND;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        pipeline.clientConfig().producer(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            everySecond(
                    MALFORMED_RUN_SECONDS,
                    second -> {
                        for (int j = 0; j < perSecond; j++) {
                            long intendedUs =
                                    (t0Ms + second * WINDOW_MS) * 1000
                                            + j * (1_000_000L / perSecond);
                            String endpoint = endpoints.get(j % endpoints.size());
                            String generator = generators.get((j / 2) % generators.size());
                            RequestTiming timing =
                                    timing(runId, endpoint, generator, intendedUs, random);
                            byte[] key = keys.serialize(topic, seriesOf(timing));
                            if (j % 101 != 100) {
                                sent.record(timing);
                                producer.send(
                                        new ProducerRecord<>(
                                                topic,
                                                null,
                                                intendedUs / 1000,
                                                key,
                                                values.serialize(topic, timing)),
                                        failureTo(sendFailure));
                                continue;
                            }
                            DeadLetterReason kind =
                                    MALFORMED_KINDS.get(
                                            (int) (malformedSent.getAndIncrement() % 5));
                            producer.send(
                                    malformed(kind, topic, key, timing, values, random),
                                    (metadata, e) -> {
                                        if (e != null) {
                                            sendFailure.compareAndSet(null, e);
                                            return;
                                        }
                                        malformedAt.put(
                                                metadata.partition() + "@" + metadata.offset(),
                                                kind);
                                    });
                        }
                        producer.flush();
                    });
        }
        assertThat(sendFailure.get()).isNull();
        return malformedAt;
    }

    /** A record on timings that the analytics must refuse for {@code kind}. */
    private static ProducerRecord<byte[], byte[]> malformed(
            DeadLetterReason kind,
            String topic,
            byte[] key,
            RequestTiming timing,
            Serializer<RequestTiming> values,
            Random random) {
        switch (kind) {
            case UNREADABLE -> {
                return new ProducerRecord<>(
                        topic, notWireFormat(random, 16), notWireFormat(random, 60));
            }
            case UNKNOWN_SCHEMA -> {
                byte[] junk = new byte[40];
                random.nextBytes(junk);
                ByteBuffer value =
                        ByteBuffer.allocate(5 + junk.length)
                                .put((byte) 0)
                                .putInt(UNKNOWN_SCHEMA_ID)
                                .put(junk);
                return new ProducerRecord<>(topic, key, value.array());
            }
            case NEGATIVE_LATENCY -> timing.setLatencyUs(-1 - random.nextInt(1_000));
            case LATENCY_OUT_OF_RANGE ->
                    timing.setLatencyUs(
                            Histograms.HIGHEST_TRACKABLE_US + 1 + random.nextInt(1_000));
            case FUTURE_SEND_TIME -> {
                long tomorrowUs =
                        (System.currentTimeMillis() + Duration.ofDays(1).toMillis()) * 1000;
                timing.setIntendedSendTimeUs(tomorrowUs);
                timing.setActualSendTimeUs(tomorrowUs);
            }
            default -> throw new IllegalArgumentException(kind.label());
        }
        return new ProducerRecord<>(topic, key, values.serialize(topic, timing));
    }

    /** Random bytes that do not start with the wire format's magic byte. */
    private static byte[] notWireFormat(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        bytes[0] = (byte) (1 + random.nextInt(255));
        return bytes;
    }

    // --- 3. late events ---

    private static final String LATE_ENDPOINT = "login";
    private static final int ON_TIME_PER_SECOND = 200;
    private static final int LATE_EVENTS = 50;
    private static final int LATE_IN_PARTIAL = 30;

    @Test
    void shouldCountLateEventsAndDeadLetterThem() throws Exception {
        InProcessAnalyze analyze = startAnalyze();
        Topics topics = analyze.topics();
        String runId = "scale-" + UUID.randomUUID();
        long t0Ms = secondsAgoAlignedTo10s(30);
        SentLatencies sent = new SentLatencies();
        WindowKey window1 =
                new WindowKey(runId, SCENARIO, LATE_ENDPOINT, WINDOW_MS, t0Ms + WINDOW_MS);

        Set<String> lateAt = publishWithLateEvents(topics, runId, t0Ms, sent);

        long onTime = sent.total();
        try (CommittedRecords<WindowKey, WindowStats> windowStats =
                        pipeline.committed(topics.windowStats());
                CommittedRecords<RunKey, WindowStats> summaries =
                        pipeline.committed(topics.runSummaries());
                CommittedRecords<byte[], byte[]> deadLetters =
                        pipeline.committedBytes(topics.deadLetters().name())) {
            Map<WindowKey, WindowStats> finals =
                    awaitFinalWindows(windowStats, runId, sent, analyze.app());
            assertThat(finals.get(window1).getCount()).isEqualTo(ON_TIME_PER_SECOND);
            assertThat(finals.get(window1).getLate()).isZero();
            assertSameLatencies(finals.get(window1), sent.windows().get(window1), "window 1");
            WindowStats total =
                    awaitRunTotals(summaries, runId, onTime + LATE_EVENTS).get(LATE_ENDPOINT);
            assertThat(total.getLate()).isEqualTo(LATE_EVENTS);

            // stage 2 has closed window 1: a histogram-mode generator's partial for it is late
            publishPartialForWindow1(topics, runId, t0Ms);
            total =
                    awaitRunTotals(summaries, runId, onTime + LATE_EVENTS + LATE_IN_PARTIAL)
                            .get(LATE_ENDPOINT);
            assertThat(total.getLate()).isEqualTo(LATE_EVENTS + LATE_IN_PARTIAL);

            List<ConsumerRecord<byte[], byte[]>> dead = awaitAll(deadLetters, LATE_EVENTS + 1);
            assertThat(dead)
                    .allSatisfy(
                            r ->
                                    assertThat(reasonOf(r.headers()))
                                            .isEqualTo(DeadLetterReason.LATE));
            Set<String> deadFromTimings = new HashSet<>();
            List<ConsumerRecord<byte[], byte[]>> deadPartials = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> letter : dead) {
                String source = DeadLetterHeaders.sourceTopic(letter.headers());
                if (topics.timings().name().equals(source)) {
                    deadFromTimings.add(sourceOf(letter.headers()));
                } else {
                    deadPartials.add(letter);
                }
            }
            assertThat(deadFromTimings).isEqualTo(lateAt);
            assertThat(deadPartials).hasSize(1);
            assertThat(DeadLetterHeaders.sourceTopic(deadPartials.get(0).headers()))
                    .endsWith(AnalyzeTopology.PARTIALS_BY_ENDPOINT + "-repartition");
            IntervalHistogram deadPartial =
                    pipeline.serdes()
                            .valueSerde(topics.histograms())
                            .deserializer()
                            .deserialize(topics.histograms().name(), deadPartials.get(0).value());
            assertThat(deadPartial.getGeneratorId()).isEqualTo("g9");
            assertThat(deadPartial.getCount()).isEqualTo(LATE_IN_PARTIAL);

            // window 1 was made final once, and stayed as it was
            long window1Finals =
                    windowStats.poll().stream()
                            .filter(r -> r.key().equals(window1) && r.value().getFinal$())
                            .count();
            assertThat(window1Finals).isEqualTo(1);
        }
        assertThat(analyze.app().deadLetterCounts().count(DeadLetterReason.LATE))
                .isEqualTo(LATE_EVENTS + 1);
        assertThat(analyze.app().deadLetterCounts().total()).isEqualTo(LATE_EVENTS + 1);
    }

    /**
     * One generator (so one partition and one stage-1 task, whose stream time decides): five
     * seconds of events, one event 12 s in that takes stream time well past the end of window 1 and
     * its grace, then events for window 1; returns where those late events were written.
     */
    private Set<String> publishWithLateEvents(
            Topics topics, String runId, long t0Ms, SentLatencies sent) {
        Set<String> lateAt = ConcurrentHashMap.newKeySet();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        Random random = new Random(3);
        try (KafkaProducer<SeriesKey, RequestTiming> producer =
                pipeline.producer(topics.timings())) {
            for (int second = 0; second < 5; second++) {
                for (int i = 0; i < ON_TIME_PER_SECOND; i++) {
                    long intendedUs = (t0Ms + second * WINDOW_MS + i * 5L) * 1000;
                    RequestTiming timing = timing(runId, LATE_ENDPOINT, "g1", intendedUs, random);
                    sent.record(timing);
                    producer.send(record(topics.timings(), timing), failureTo(sendFailure));
                }
            }
            RequestTiming later =
                    timing(runId, LATE_ENDPOINT, "g1", (t0Ms + 12 * WINDOW_MS) * 1000, random);
            sent.record(later);
            producer.send(record(topics.timings(), later), failureTo(sendFailure));
            for (int i = 0; i < LATE_EVENTS; i++) {
                long intendedUs = (t0Ms + WINDOW_MS + i * 10L) * 1000;
                RequestTiming timing = timing(runId, LATE_ENDPOINT, "g1", intendedUs, random);
                producer.send(
                        record(topics.timings(), timing),
                        (metadata, e) -> {
                            if (e != null) {
                                sendFailure.compareAndSet(null, e);
                                return;
                            }
                            lateAt.add(metadata.partition() + "@" + metadata.offset());
                        });
            }
            producer.flush();
        }
        assertThat(sendFailure.get()).isNull();
        assertThat(lateAt).hasSize(LATE_EVENTS);
        return lateAt;
    }

    /** A histogram-mode generator's partial of {@value #LATE_IN_PARTIAL} requests in window 1. */
    private void publishPartialForWindow1(Topics topics, String runId, long t0Ms) throws Exception {
        Random random = new Random(9);
        LatencyAggregate aggregate = LatencyAggregate.empty();
        long startUs = (t0Ms + WINDOW_MS) * 1000;
        for (int i = 0; i < LATE_IN_PARTIAL; i++) {
            aggregate.record(timing(runId, LATE_ENDPOINT, "g9", startUs + i * 1000L, random));
        }
        IntervalHistogram partial =
                aggregate.toIntervalHistogram(
                        runId, SCENARIO, LATE_ENDPOINT, "g9", startUs, startUs + WINDOW_MS * 1000);
        try (KafkaProducer<SeriesKey, IntervalHistogram> producer =
                pipeline.producer(topics.histograms())) {
            SeriesKey key = new SeriesKey(runId, SCENARIO, LATE_ENDPOINT, "g9");
            producer.send(new ProducerRecord<>(topics.histograms().name(), key, partial))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    // --- the pipeline ---

    private InProcessAnalyze startAnalyze() {
        InProcessAnalyze analyze = InProcessAnalyze.start(pipeline, SETTINGS, stateDir);
        closeAfterTest.add(analyze);
        return analyze;
    }

    /**
     * A run id for which the raw generators' series of the hot endpoint hash to different
     * partitions of {@code timings}, as the producer's default partitioner places keyed records.
     */
    private String runIdSpreadingHotEndpoint(Topic<SeriesKey, RequestTiming> timings) {
        Serializer<SeriesKey> keys = pipeline.serdes().keySerde(timings).serializer();
        for (int attempt = 0; attempt < 100; attempt++) {
            String runId = "scale-" + UUID.randomUUID();
            Set<Integer> partitions = new HashSet<>();
            for (String generator : RAW_GENERATORS) {
                SeriesKey series = new SeriesKey(runId, SCENARIO, HOT, generator);
                byte[] key = keys.serialize(timings.name(), series);
                partitions.add(Utils.toPositive(Utils.murmur2(key)) % timings.partitions());
            }
            if (partitions.size() == RAW_GENERATORS.size()) {
                return runId;
            }
        }
        throw new IllegalStateException("no run id spreads the hot endpoint in 100 attempts");
    }

    /**
     * Runs {@code step} for seconds 0 to {@code seconds - 1}, each a second of wall-clock time
     * after the one before, as a live generator publishes.
     */
    private static void everySecond(int seconds, IntConsumer step) throws Exception {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try {
            List<ScheduledFuture<?>> steps = new ArrayList<>();
            for (int s = 0; s < seconds; s++) {
                int second = s;
                steps.add(clock.schedule(() -> step.accept(second), s, TimeUnit.SECONDS));
            }
            for (ScheduledFuture<?> done : steps) {
                done.get(1, TimeUnit.MINUTES);
            }
        } finally {
            clock.shutdownNow();
        }
    }

    /** The start of the 10 s window that was current about {@code seconds} ago. */
    private static long secondsAgoAlignedTo10s(int seconds) {
        return (System.currentTimeMillis() - seconds * 1000L) / 10_000 * 10_000;
    }

    // --- what the pipeline wrote ---

    /**
     * Waits until every window of what was sent, at every resolution, is final; returns the final
     * windows. Each is final exactly once, and no other window of the run is.
     */
    private static Map<WindowKey, WindowStats> awaitFinalWindows(
            CommittedRecords<WindowKey, WindowStats> windowStats,
            String runId,
            SentLatencies sent,
            AnalyzeApp analyze) {
        Set<WindowKey> expected = sent.allWindowKeys(ROLLUPS_MS);
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(
                        () ->
                                assertThat(finals(windowStats.poll(), runId).keySet())
                                        .as(() -> "final windows; " + analyze.deadLetterCounts())
                                        .containsAll(expected));
        List<ConsumerRecord<WindowKey, WindowStats>> all = windowStats.poll();
        Map<WindowKey, WindowStats> finals = finals(all, runId);
        assertThat(finals.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        long finalRecords =
                all.stream()
                        .filter(r -> r.key().getRunId().equals(runId) && r.value().getFinal$())
                        .count();
        assertThat(finalRecords).as("final records, one per window").isEqualTo(finals.size());
        return finals;
    }

    private static Map<WindowKey, WindowStats> finals(
            List<ConsumerRecord<WindowKey, WindowStats>> records, String runId) {
        Map<WindowKey, WindowStats> finals = new HashMap<>();
        for (ConsumerRecord<WindowKey, WindowStats> r : records) {
            if (r.key().getRunId().equals(runId) && r.value().getFinal$()) {
                finals.put(r.key(), r.value());
            }
        }
        return finals;
    }

    /** Waits until the run's totals add up to {@code count}; returns them by endpoint. */
    private static Map<String, WindowStats> awaitRunTotals(
            CommittedRecords<RunKey, WindowStats> summaries, String runId, long count) {
        Map<String, WindowStats> latest = new TreeMap<>();
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            for (ConsumerRecord<RunKey, WindowStats> r : summaries.poll()) {
                                if (r.key().getRunId().equals(runId)) {
                                    latest.put(r.key().getEndpoint(), r.value());
                                }
                            }
                            return countOf(latest) >= count;
                        });
        assertThat(countOf(latest)).as("requests in the run totals").isEqualTo(count);
        return latest;
    }

    private static long countOf(Map<String, WindowStats> totals) {
        return totals.values().stream().mapToLong(WindowStats::getCount).sum();
    }

    /**
     * Waits until {@code records} has read {@code count} records, then reads to the end; returns
     * every record read, which must be exactly those.
     */
    private static <K, V> List<ConsumerRecord<K, V>> awaitAll(
            CommittedRecords<K, V> records, int count) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> records.poll().size() >= count);
        List<ConsumerRecord<K, V>> all = records.readToEnd(Duration.ofSeconds(30));
        assertThat(all).hasSize(count);
        return all;
    }

    /** Where a dead letter was read, as {@code partition@offset}. */
    private static String sourceOf(Headers headers) {
        return DeadLetterHeaders.sourcePartition(headers)
                + "@"
                + DeadLetterHeaders.sourceOffset(headers);
    }

    private static DeadLetterReason reasonOf(Headers headers) {
        String label = DeadLetterHeaders.reason(headers);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            if (reason.label().equals(label)) {
                return reason;
            }
        }
        throw new AssertionError("no dead-letter reason is labelled " + label);
    }

    // --- records and clients ---

    /**
     * A request with a log-normal latency around the endpoint's median; now and then the schedule
     * falls behind, and the delay counts in the latency from the intended send time.
     */
    private static RequestTiming timing(
            String runId, String endpoint, String generator, long intendedUs, Random random) {
        long medianUs = 2_000L + 4_000L * Math.max(0, ENDPOINTS.indexOf(endpoint));
        long latencyUs = Math.max(1, (long) (medianUs * Math.exp(0.8 * random.nextGaussian())));
        long delayUs = random.nextInt(100) < 2 ? random.nextInt(200_000) : random.nextInt(300);
        return RequestTiming.newBuilder()
                .setRunId(runId)
                .setScenario(SCENARIO)
                .setEndpoint(endpoint)
                .setGeneratorId(generator)
                .setIntendedSendTimeUs(intendedUs)
                .setActualSendTimeUs(intendedUs + delayUs)
                .setLatencyUs(latencyUs)
                .setOutcome(random.nextInt(100) == 0 ? Outcome.HTTP_ERROR : Outcome.SUCCESS)
                .setStatusCode(200)
                .setTags(Map.of())
                .build();
    }

    private static SeriesKey seriesOf(RequestTiming timing) {
        return new SeriesKey(
                timing.getRunId(),
                timing.getScenario(),
                timing.getEndpoint(),
                timing.getGeneratorId());
    }

    /** The record a generator publishes: keyed by series, stamped with the intended send time. */
    private static ProducerRecord<SeriesKey, RequestTiming> record(
            Topic<SeriesKey, RequestTiming> timings, RequestTiming timing) {
        return new ProducerRecord<>(
                timings.name(),
                null,
                timing.getIntendedSendTimeUs() / 1000,
                seriesOf(timing),
                timing);
    }

    private static Callback failureTo(AtomicReference<Exception> failure) {
        return (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
    }
}
