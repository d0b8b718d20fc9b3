package io.loadstream.consumers.live;

import static io.loadstream.consumers.ResultRecords.window;
import static io.loadstream.consumers.ResultRecords.windowKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.TransactionalWriter;
import io.loadstream.consumers.TransactionalWriter.Put;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@LocalPipeline
class LiveWindowViewIT {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldShowTheNewestFinalWindowOfEachEndpointOfTheRun(TestPipeline pipeline) {
        // one partition: once the last record shows, every record before it was read
        Topic<WindowKey, WindowStats> windowStats =
                pipeline.createTopics(new Topics(pipeline.newPrefix(), 1)).windowStats();
        try (var writer = new TransactionalWriter<>(pipeline, windowStats);
                var view =
                        new LiveWindowView(
                                        pipeline.clientConfig(),
                                        pipeline.serdes(),
                                        windowStats,
                                        "r1",
                                        1_000)
                                .start()) {
            writer.commit(
                    record(window("r1", "home", 1_000, T0, true)),
                    record(window("r1", "search", 1_000, T0, true)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> view.newestFinalWindows().size() == 2);

            writer.commit(
                    record(window("r1", "home", 1_000, T0 + 2_000, false)),
                    record(window("r1", "home", 1_000, T0 + 1_000, true)),
                    record(window("r1", "home", 10_000, T0 + 10_000, true)),
                    record(window("r2", "home", 1_000, T0 + 5_000, true)),
                    record(window("r1", "search", 1_000, T0 + 1_000, true)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> view.newestFinalWindows().get("search").getWindowStartMs() > T0);

            assertThat(view.newestFinalWindows())
                    .containsOnlyKeys("home", "search")
                    .allSatisfy(
                            (endpoint, newest) ->
                                    assertThat(newest.getWindowStartMs()).isEqualTo(T0 + 1_000));
        }
    }

    private static Put<WindowKey, WindowStats> record(WindowStats window) {
        return TransactionalWriter.put(windowKey(window), window);
    }
}
