package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.cluster.LocalKafkaCluster;
import io.loadstream.cluster.registry.EmbeddedSchemaRegistry;
import io.loadstream.producers.publish.PublishMode;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.publish.Publishers;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.registry.SchemaRegistryClient;
import io.loadstream.schemas.registry.SchemaRegistryConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The broker is stopped for 10 s in the middle of a run and started again: the schedule keeps its
 * rate, and every event the generator made is acknowledged or counted as dropped.
 */
class KafkaOutageIT {

    private static final double RATE = 500;
    private static final Duration DURATION = Duration.ofSeconds(30);

    @Test
    void shouldKeepScheduleAndAccountForEveryEventThroughABrokerOutage() throws Exception {
        try (LocalKafkaCluster kafka = LocalKafkaCluster.start()) {
            ClientConfig config = ClientConfig.of(kafka.bootstrapServers());
            Topics topics = new Topics("outage.");
            try (Admin admin = Admin.create(config.admin())) {
                new TopicSetup(admin, Optional.empty()).ensure(topics.specs());
            }
            RunClock clock = RunClock.system();
            Publisher publisher;
            try (EmbeddedSchemaRegistry registry =
                    EmbeddedSchemaRegistry.start(
                            config.common(), Topics.registryTopic("outage."))) {
                AvroSerdes serdes =
                        new AvroSerdes(
                                new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url())));
                publisher =
                        Publishers.open(
                                config, serdes, topics, PublishMode.EVENTS, 20_000, clock.wall());
                // the serializers now have the ids cached: the registry is not needed again
            }
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
                kafka.stopBroker();
                long sentAtStop = publisher.sent();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> publisher.sent() >= sentAtStop + RATE * 10);
                long pendingDuringOutage = publisher.pending();
                kafka.startBroker();

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
