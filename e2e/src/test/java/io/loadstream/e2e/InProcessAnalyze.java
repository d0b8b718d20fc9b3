package io.loadstream.e2e;

import static org.awaitility.Awaitility.await;

import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.TestPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The analyze application in the test JVM, as {@code loadstream analyze} runs it (exactly-once, two
 * stream threads), on topics and with an application id of its own, for tests that look at its
 * objects (streams, dead-letter counts) as well as at what it writes. Each test starts its own:
 * stream time is per task, and a task shared with another test would see that test's event times.
 *
 * <pre>{@code
 * try (InProcessAnalyze analyze = InProcessAnalyze.start(pipeline, settings, stateDir)) {
 *     Topics topics = analyze.topics();
 *     ... publish to topics.timings(), read topics.windowStats() ...
 * }
 * }</pre>
 */
final class InProcessAnalyze implements AutoCloseable {

    private static final int THREADS = 2;
    private static final Duration STARTUP = Duration.ofMinutes(1);

    private final Topics topics;
    private final AnalyzeApp app;

    private InProcessAnalyze(Topics topics, AnalyzeApp app) {
        this.topics = topics;
        this.app = app;
    }

    /**
     * Creates the pipeline's topics under a new prefix, registers the input topics' schemas and
     * starts analyze on them with its state under {@code stateDir}; returns once it is running with
     * every input partition on one of its tasks, so that what the test publishes next is read at
     * once.
     */
    static InProcessAnalyze start(TestPipeline pipeline, AnalyzeSettings settings, Path stateDir) {
        String prefix = pipeline.newPrefix();
        Topics topics = pipeline.createTopics(new Topics(prefix));
        pipeline.serdes().registerSchemas(topics.timings());
        pipeline.serdes().registerSchemas(topics.histograms());
        AnalyzeApp app =
                new AnalyzeApp(
                        pipeline.clientConfig(),
                        prefix + "analyze",
                        THREADS,
                        stateDir,
                        settings,
                        pipeline.serdes(),
                        topics);
        try {
            app.start();
            Set<TopicPartition> inputs = partitionsOf(topics.timings(), topics.histograms());
            await("analyze running with every input partition assigned")
                    .atMost(STARTUP)
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () ->
                                    app.streams().state() == KafkaStreams.State.RUNNING
                                            && activeTasksByPartition(app.streams())
                                                    .keySet()
                                                    .containsAll(inputs));
            return new InProcessAnalyze(topics, app);
        } catch (RuntimeException | Error e) {
            app.close();
            throw e;
        }
    }

    /** The topics analyze reads and writes. */
    Topics topics() {
        return topics;
    }

    AnalyzeApp app() {
        return app;
    }

    KafkaStreams streams() {
        return app.streams();
    }

    /** The active task that reads each partition, over every stream thread. */
    Map<TopicPartition, TaskId> activeTasksByPartition() {
        return activeTasksByPartition(app.streams());
    }

    private static Map<TopicPartition, TaskId> activeTasksByPartition(KafkaStreams streams) {
        Map<TopicPartition, TaskId> tasks = new HashMap<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().forEach(p -> tasks.put(p, task.taskId()));
            }
        }
        return tasks;
    }

    private static Set<TopicPartition> partitionsOf(Topic<?, ?>... topics) {
        return Stream.of(topics)
                .flatMap(
                        t ->
                                IntStream.range(0, t.partitions())
                                        .mapToObj(p -> new TopicPartition(t.name(), p)))
                .collect(Collectors.toSet());
    }

    @Override
    public void close() {
        app.close();
    }
}
