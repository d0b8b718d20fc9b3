package io.loadstream.consumers.results;

import static io.loadstream.consumers.ResultRecords.runKey;
import static io.loadstream.consumers.ResultRecords.summary;
import static io.loadstream.consumers.TransactionalWriter.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.TransactionalWriter;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@LocalPipeline
class RunSummaryReaderIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TestPipeline pipeline;
    private RunSummaryReader reader;
    private TransactionalWriter<RunKey, WindowStats> writer;

    @BeforeEach
    void newTopics(TestPipeline pipeline) {
        this.pipeline = pipeline;
        var topics = pipeline.newTopics();
        this.reader =
                new RunSummaryReader(
                        pipeline.clientConfig(), pipeline.serdes(), topics.runSummaries());
        this.writer = new TransactionalWriter<>(pipeline, topics.runSummaries());
    }

    @Test
    void shouldGiveTheLatestSummaryOfEachEndpointOfTheRun() {
        writer.commit(
                put(runKey("r1", "search"), summary("r1", "search", 10)),
                put(runKey("r1", "home"), summary("r1", "home", 10)),
                put(runKey("r2", "home"), summary("r2", "home", 99)));
        writer.commit(put(runKey("r1", "home"), summary("r1", "home", 40)));

        var latest = reader.latest("r1", TIMEOUT);

        assertThat(latest).containsOnlyKeys("home", "search");
        assertThat(latest.get("home").getCount()).isEqualTo(40);
        assertThat(latest.get("search").getCount()).isEqualTo(10);
    }

    @Test
    void shouldReturnOnceTheSummariesCountEveryAcknowledgedEvent() throws Exception {
        writer.commit(
                put(runKey("r1", "home"), summary("r1", "home", 30)),
                put(runKey("r1", "search"), summary("r1", "search", 20)));

        CompletableFuture<RunSummaries> awaited =
                CompletableFuture.supplyAsync(
                        () -> reader.awaitCounted("r1", 100, Duration.ofMinutes(2)));
        writer.commit(
                put(runKey("r2", "home"), summary("r2", "home", 500)),
                put(runKey("r1", "home"), summary("r1", "home", 60)));
        writer.commit(put(runKey("r1", "search"), summary("r1", "search", 40)));
        RunSummaries summaries = awaited.get(1, TimeUnit.MINUTES);

        assertThat(summaries.runId()).isEqualTo("r1");
        assertThat(summaries.counted()).isEqualTo(100);
        assertThat(summaries.byEndpoint()).containsOnlyKeys("home", "search");
    }

    @Test
    void shouldReturnWhatIsCountedWhenTheTimeoutPassesFirst() {
        writer.commit(
                put(runKey("r1", "home"), summary("r1", "home", 30)),
                put(runKey("r2", "home"), summary("r2", "home", 500)));

        RunSummaries summaries = reader.awaitCounted("r1", 100, Duration.ofSeconds(2));

        assertThat(summaries.counted()).isEqualTo(30);
        assertThat(summaries.byEndpoint()).containsOnlyKeys("home");
    }

    @AfterEach
    void closeWriter() {
        writer.close();
    }
}
