package io.loadstream.producers.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.cluster.LocalKafkaCluster;
import io.loadstream.cluster.registry.EmbeddedSchemaRegistry;
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
            AvroSerdes serdes;
            try (EmbeddedSchemaRegistry registry =
                    EmbeddedSchemaRegistry.start(
                            config.common(), Topics.registryTopic("outage."))) {
                serdes =
                        new AvroSerdes(
                                new SchemaRegistryClient(SchemaRegistryConfig.of(registry.url())));
                serdes.registerSchemas(topics.timings());
                // the serializers now have the ids cached: the registry is not needed again
            }
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
                kafka.stopBroker();
                long sentAtStop = publisher.sent();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> publisher.sent() >= sentAtStop + RATE * 10);
                long pendingDuringOutage = publisher.pending();
                kafka.startBroker();

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
