package io.loadstream.consumers.alerts;

import static io.loadstream.consumers.alerts.TestAlerts.T0;
import static io.loadstream.consumers.alerts.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@LocalPipeline
class AlertTailIT {

    @Test
    void shouldShowFiringAndResolvedTransitionsOfTheRunAtTheLevelAsTheyArrive(TestPipeline pipeline)
            throws Exception {
        Topics topics = pipeline.newTopics();
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (KafkaProducer<AlertKey, Alert> producer = pipeline.producer(topics.alerts())) {
            // written before the tail starts: not shown without --from-beginning
            send(
                    producer,
                    topics,
                    alert("home", AlertState.FIRING, AlertLevel.CRITICAL, 1, T0).build());
            try (AlertTail tail =
                    AlertTail.open(
                                    pipeline.clientConfig(),
                                    pipeline.serdes(),
                                    topics.alerts(),
                                    AlertFilter.of("r1", AlertLevel.CRITICAL),
                                    false)
                            .start()) {
                Thread reader = new Thread(() -> tail.run(stop::get, lines::add));
                reader.start();
                send(
                        producer,
                        topics,
                        alert("checkout", AlertState.PENDING, AlertLevel.CRITICAL, 1, T0).build());
                send(
                        producer,
                        topics,
                        alert("checkout", AlertState.FIRING, AlertLevel.WARNING, 2, T0).build());
                send(
                        producer,
                        topics,
                        alert("checkout", AlertState.FIRING, AlertLevel.CRITICAL, 3, T0).build());
                send(
                        producer,
                        topics,
                        alert("checkout", AlertState.FIRING, AlertLevel.CRITICAL, 3, T0)
                                .setRunId("r2")
                                .build());
                send(
                        producer,
                        topics,
                        alert("checkout", AlertState.RESOLVED, AlertLevel.CRITICAL, 4, T0 + 2_000)
                                .build());

                await().atMost(Duration.ofSeconds(30)).until(() -> lines.size() >= 2);
                stop.set(true);
                reader.join(Duration.ofSeconds(10).toMillis());
                assertThat(reader.isAlive()).as("stopped").isFalse();
            }
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains("FIRING   CRITICAL rule=p99-checkout run=r1")
                .contains("p99 812 ms > 500 ms");
        assertThat(lines.get(1)).contains("RESOLVED CRITICAL rule=p99-checkout run=r1");
    }

    private static void send(KafkaProducer<AlertKey, Alert> producer, Topics topics, Alert alert)
            throws Exception {
        producer.send(new ProducerRecord<>(topics.alerts().name(), AlertLines.key(alert), alert))
                .get();
    }
}
