package io.loadstream.consumers.compacted;

import static io.loadstream.consumers.ResultRecords.runKey;
import static io.loadstream.consumers.ResultRecords.summary;
import static io.loadstream.consumers.TransactionalWriter.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.TransactionalWriter;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@LocalPipeline
class CompactedTopicReaderIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TestPipeline pipeline;
    private Topic<RunKey, WindowStats> summaries;

    @BeforeEach
    void newTopics(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.summaries = pipeline.newTopics().runSummaries();
    }

    @Test
    void shouldKeepTheLatestValuePerKeyAndForgetTombstonedKeys() {
        try (var writer = new TransactionalWriter<>(pipeline, summaries)) {
            writer.commit(
                    put(runKey("r1", "home"), summary("r1", "home", 10)),
                    put(runKey("r1", "search"), summary("r1", "search", 10)));
            writer.commit(
                    put(runKey("r1", "home"), summary("r1", "home", 25)),
                    put(runKey("r1", "search"), null),
                    put(runKey("r1", "cart"), null));
        }

        try (var reader = reader(key -> true)) {
            Map<RunKey, WindowStats> table = reader.readToEnd(TIMEOUT);

            assertThat(table).containsOnlyKeys(runKey("r1", "home"));
            assertThat(table.get(runKey("r1", "home")).getCount()).isEqualTo(25);
            assertThat(reader.caughtUp()).isTrue();
        }
    }

    @Test
    void shouldNeverSeeTheRecordsOfAnAbortedTransaction() {
        try (var writer = new TransactionalWriter<>(pipeline, summaries)) {
            writer.commit(put(runKey("r1", "home"), summary("r1", "home", 10)));
            writer.abort(
                    put(runKey("r1", "home"), summary("r1", "home", 999)),
                    put(runKey("r1", "search"), summary("r1", "search", 999)));
            writer.commit(put(runKey("r1", "cart"), summary("r1", "cart", 5)));
            writer.abort(put(runKey("r1", "cart"), null));
        }

        try (var reader = reader(key -> true)) {
            Map<RunKey, WindowStats> table = reader.readToEnd(TIMEOUT);

            assertThat(table).containsOnlyKeys(runKey("r1", "home"), runKey("r1", "cart"));
            assertThat(table.get(runKey("r1", "home")).getCount()).isEqualTo(10);
            assertThat(table.get(runKey("r1", "cart")).getCount()).isEqualTo(5);
        }
    }

    @Test
    void shouldCatchUpAndThenHandLiveChangesToTheListener() {
        // one partition: changes arrive in the order they were written
        summaries = pipeline.createTopics(new Topics(pipeline.newPrefix(), 1)).runSummaries();
        List<String> changes = new CopyOnWriteArrayList<>();
        try (var writer = new TransactionalWriter<>(pipeline, summaries);
                var reader = reader(key -> true)) {
            writer.commit(
                    put(runKey("r1", "home"), summary("r1", "home", 10)),
                    put(runKey("r1", "search"), summary("r1", "search", 20)));

            assertThat(reader.readToEnd(TIMEOUT)).hasSize(2);
            reader.follow(
                    (key, value) ->
                            changes.add(
                                    key.getEndpoint()
                                            + "="
                                            + (value == null ? "gone" : value.getCount())));
            writer.commit(put(runKey("r1", "home"), summary("r1", "home", 30)));
            writer.abort(put(runKey("r1", "home"), summary("r1", "home", 999)));
            writer.commit(put(runKey("r1", "search"), null));

            await().atMost(TIMEOUT).until(() -> changes.contains("search=gone"));
            assertThat(changes).containsExactly("home=30", "search=gone");
            assertThat(reader.latest()).containsOnlyKeys(runKey("r1", "home"));
            assertThatThrownBy(() -> reader.readToEnd(TIMEOUT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("follows it live");
        }
    }

    @Test
    void shouldKeepTheKeysOfOtherRunsOut() {
        try (var writer = new TransactionalWriter<>(pipeline, summaries)) {
            writer.commit(
                    put(runKey("r1", "home"), summary("r1", "home", 10)),
                    put(runKey("r2", "home"), summary("r2", "home", 20)),
                    put(runKey("r2", "search"), summary("r2", "search", 30)));
        }

        try (var reader = reader(key -> key.getRunId().equals("r2"))) {
            assertThat(reader.readToEnd(TIMEOUT))
                    .containsOnlyKeys(runKey("r2", "home"), runKey("r2", "search"));
        }
    }

    @Test
    void shouldNameATopicThatDoesNotExist() {
        Topic<RunKey, WindowStats> missing = new Topics("it-missing.").runSummaries();

        try (var reader =
                CompactedTopicReader.open(
                        pipeline.clientConfig(), pipeline.serdes(), missing, key -> true)) {
            assertThatThrownBy(() -> reader.readToEnd(TIMEOUT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("topic it-missing.run-summaries does not exist");
        }
    }

    private CompactedTopicReader<RunKey, WindowStats> reader(Predicate<RunKey> keyFilter) {
        return CompactedTopicReader.open(
                pipeline.clientConfig(), pipeline.serdes(), summaries, keyFilter);
    }
}
