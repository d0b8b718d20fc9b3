package io.loadstream.producers.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.TestPipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The broker is stopped for 10 s in the middle of a run and started again: the schedule keeps its
 * rate, and every event the generator made is acknowledged or counted as dropped. It stops the
 * broker, so it runs on a pipeline of its own rather than the module's shared one.
 */
class KafkaOutageIT {

    private static final double RATE = 500;
    private static final Duration DURATION = Duration.ofSeconds(30);

    @Test
    void shouldKeepScheduleAndAccountForEveryEventThroughABrokerOutage() throws Exception {
        try (TestPipeline pipeline = TestPipeline.startDedicated()) {
            ClientConfig config = pipeline.clientConfig();
            Topics topics = pipeline.newTopics();
            AvroSerdes serdes = pipeline.serdes();
            // the serializers cache the ids: the registry, whose data is on the broker, is not
            // asked again while the broker is away
            serdes.registerSchemas(topics.timings());
            GeneratorSettings settings =
                    new GeneratorSettings(
                            "outage-run",
                            "outage",
                            "gen-1",
                            List.of(LatencyProfile.parse("api:2ms/10ms")),
                            RATE,
                            DURATION,
                            42);
            Generator.Result result;
            TimingPublisher publisher =
                    new TimingPublisher(
                            config.producer(),
                            serdes.keySerde(topics.timings()).serializer(),
                            serdes.valueSerde(topics.timings()).serializer(),
                            topics.timings().name(),
                            20_000);
            try {
                publisher.awaitMetadata();
                Generator generator =
                        new Generator(
                                settings,
                                new SyntheticDriver(settings.endpoints(), settings.seed()),
                                publisher,
                                System::nanoTime,
                                System.currentTimeMillis() * 1000);
                CompletableFuture<Generator.Result> run =
                        CompletableFuture.supplyAsync(() -> generator.run(() -> false, p -> {}));

                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.sent() >= RATE * 8);
                pipeline.cluster().stopBroker();
                long sentAtStop = publisher.sent();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> publisher.sent() >= sentAtStop + RATE * 10);
                long pendingDuringOutage = publisher.pending();
                pipeline.cluster().startBroker();

                result = run.get();
                assertThat(pendingDuringOutage).isGreaterThan((long) (RATE * 5));
                publisher.flush(Duration.ofMinutes(2));
            } finally {
                publisher.close();
            }

            long expected = (long) (RATE * DURATION.toSeconds());
            assertThat(result.sent()).isBetween((long) (expected * 0.99), (long) (expected * 1.01));
            assertThat(publisher.sent()).isEqualTo(result.sent());
            assertThat(publisher.acknowledged() + publisher.dropped() + publisher.failed())
                    .isEqualTo(publisher.sent());
            assertThat(publisher.failed()).as(publisher.firstFailure().orElse("")).isZero();
            // the outage lasted 10 s at 500 events/s: the 20,000-event buffer held them all
            assertThat(publisher.acknowledged()).isEqualTo(publisher.sent());
        }
    }
}
