package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** {@code generate --abort-on critical}: a critical alert of the run stops it early. */
@LocalPipeline
class GenerateAbortOnIT {

    @Test
    void shouldStopTheRunWhenOneOfItsAlertsFiresCritical(TestPipeline pipeline) throws Exception {
        Topics topics = pipeline.newTopics();
        String run = "abort-" + topics.alerts().name().split("\\.")[0];
        CompletableFuture<CommandRun> generate =
                CompletableFuture.supplyAsync(
                        () ->
                                CommandRun.of(
                                        "generate",
                                        "-b",
                                        pipeline.bootstrapServers(),
                                        "--schema-registry-url",
                                        pipeline.registryUrl(),
                                        "--topic-prefix",
                                        prefix(topics),
                                        "--run-id",
                                        run,
                                        "--endpoints",
                                        "checkout:5ms/20ms",
                                        "--rate",
                                        "50",
                                        "--duration",
                                        "60s",
                                        "--warmup",
                                        "0s",
                                        "--abort-on",
                                        "critical"));
        // the run has begun (its watch of the alerts was placed before): events are on timings
        try (CommittedRecords<SeriesKey, RequestTiming> timings =
                pipeline.committed(topics.timings())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !timings.poll().isEmpty());
        }
        try (KafkaProducer<AlertKey, Alert> producer = pipeline.producer(topics.alerts())) {
            // neither a warning of this run nor a critical alert of another run stops it
            send(producer, topics, alert(run, AlertLevel.WARNING, AlertState.FIRING));
            send(producer, topics, alert("other-run", AlertLevel.CRITICAL, AlertState.FIRING));
            send(producer, topics, alert(run, AlertLevel.CRITICAL, AlertState.PENDING));
            send(producer, topics, alert(run, AlertLevel.CRITICAL, AlertState.FIRING));
        }

        CommandRun result = generate.get(60, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.out()).contains("aborted-by p99-checkout CRITICAL");
        assertThat(result.errLines())
                .containsExactly(
                        "error: run stopped: rule p99-checkout fired CRITICAL on scenario"
                                + " synthetic, endpoint checkout: p99 812 ms > 500 ms");
        // stopped well before its 60 s, with every event acknowledged
        assertThat(count(result.out(), "requests")).isLessThan(50 * 30);
        assertThat(count(result.out(), "acknowledged")).isEqualTo(count(result.out(), "sent"));
    }

    private static Alert alert(String run, AlertLevel level, AlertState state) {
        long now = System.currentTimeMillis();
        return Alert.newBuilder()
                .setRuleId("p99-checkout")
                .setRunId(run)
                .setScenario("synthetic")
                .setEndpoint("checkout")
                .setState(state)
                .setLevel(level)
                .setMetric("p99")
                .setValue(812_400)
                .setThreshold(500_000)
                .setSinceMs(now)
                .setActiveSinceMs(now - 1_000)
                .setWindowStartMs(now - 1_000)
                .setWindowEndMs(now)
                .setSequence(1)
                .setLabels(Map.of())
                .setAnnotations(Map.of())
                .build();
    }

    private static void send(KafkaProducer<AlertKey, Alert> producer, Topics topics, Alert alert)
            throws Exception {
        AlertKey key =
                new AlertKey(
                        alert.getRuleId(),
                        alert.getRunId(),
                        alert.getScenario(),
                        alert.getEndpoint());
        producer.send(new ProducerRecord<>(topics.alerts().name(), key, alert)).get();
    }

    private static String prefix(Topics topics) {
        String name = topics.alerts().name();
        return name.substring(0, name.length() - "alerts".length());
    }

    private static long count(String out, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(out);
        assertThat(m.find()).as(name + " in " + out).isTrue();
        return Long.parseLong(m.group(1));
    }
}
