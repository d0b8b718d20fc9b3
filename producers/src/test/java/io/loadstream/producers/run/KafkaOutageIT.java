package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.producers.publish.PublishMode;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.publish.Publishers;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.TestPipeline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
            RunClock clock = RunClock.system();
            // opening registers the schemas and the serializers cache their ids: the registry,
            // whose data is on the broker, is not asked again while the broker is away
            Publisher publisher =
                    Publishers.open(
                            config,
                            pipeline.serdes(),
                            topics,
                            PublishMode.EVENTS,
                            20_000,
                            clock.wall());
            GeneratorRun.Report report;
            try (publisher) {
                LoadPlan plan =
                        LoadPlan.synthetic(
                                "outage",
                                List.of(LatencyProfile.parse("api:2ms/10ms")),
                                RATE,
                                DURATION,
                                42);
                GeneratorRun run =
                        new GeneratorRun(
                                plan,
                                LoadShare.ALL,
                                "outage-run",
                                "gen-1",
                                publisher,
                                Optional.empty(),
                                clock);
                CompletableFuture<GeneratorRun.Report> running =
                        CompletableFuture.supplyAsync(() -> run.run(() -> false, line -> {}));

                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.sent() >= RATE * 8);
                pipeline.cluster().stopBroker();
                long sentAtStop = publisher.sent();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> publisher.sent() >= sentAtStop + RATE * 10);
                long pendingDuringOutage = publisher.pending();
                pipeline.cluster().startBroker();

                report = running.get();
                assertThat(pendingDuringOutage).isGreaterThan((long) (RATE * 5));
            }

            long expected = (long) (RATE * DURATION.toSeconds());
            assertThat(report.result().started())
                    .isBetween((long) (expected * 0.99), (long) (expected * 1.01));
            assertThat(report.events()).isEqualTo(report.result().started());
            assertThat(report.acknowledged() + report.dropped() + report.failed())
                    .isEqualTo(report.events());
            assertThat(report.failed()).as(report.firstFailure().orElse("")).isZero();
            // the outage lasted 10 s at 500 events/s: the 20,000-event buffer held them all
            assertThat(report.acknowledged()).isEqualTo(report.events());
        }
    }
}
