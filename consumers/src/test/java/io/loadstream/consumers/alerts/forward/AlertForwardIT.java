package io.loadstream.consumers.alerts.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.consumers.alerts.AlertFilter;
import io.loadstream.consumers.alerts.AlertLines;
import io.loadstream.consumers.alerts.TestAlerts;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts forward} on the real broker: against a real Alertmanager that goes down while
 * alerts fire, and against a webhook receiver across a forwarder restart.
 */
@LocalPipeline
class AlertForwardIT {

    /** How long Alertmanager stays down; {@code -Dalertmanager.downSeconds=30} for the long run. */
    private static final Duration DOWN =
            Duration.ofSeconds(Long.getLong("alertmanager.downSeconds", 8));

    private static final Duration RESEND = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private String alertsTopic;

    @Test
    void shouldDeliverEveryFiringAndResolvedAlertOnceAlertmanagerIsBack(
            TestPipeline pipeline, @TempDir Path dir) throws Exception {
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.start(dir)) {
            Topics topics = pipeline.newTopics();
            alertsTopic = topics.alerts().name();
            String run = "outage-" + topics.alerts().name().split("\\.")[0];
            AlertmanagerMapping mapping = new AlertmanagerMapping(RESEND.multipliedBy(4), null);
            try (KafkaProducer<AlertKey, Alert> producer = pipeline.producer(topics.alerts());
                    Forwarding forwarding =
                            Forwarding.start(
                                    pipeline,
                                    topics,
                                    "alertmanager-it",
                                    HttpAlertSender.alertmanager(
                                            alertmanager.url(), mapping, System::currentTimeMillis),
                                    RESEND)) {
                long t0 = System.currentTimeMillis();
                send(producer, alert(run, "a", AlertState.FIRING, AlertLevel.WARNING, 1, t0));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> names(alertmanager, run).contains("p99-a"));

                alertmanager.stop();
                long downAt = System.nanoTime();
                send(producer, alert(run, "b", AlertState.FIRING, AlertLevel.WARNING, 1, t0));
                send(producer, alert(run, "c", AlertState.FIRING, AlertLevel.CRITICAL, 1, t0));
                send(producer, alert(run, "d", AlertState.FIRING, AlertLevel.CRITICAL, 1, t0));
                send(
                        producer,
                        alert(run, "d", AlertState.RESOLVED, AlertLevel.CRITICAL, 2, t0 + 2_000));
                send(
                        producer,
                        alert(run, "a", AlertState.RESOLVED, AlertLevel.WARNING, 2, t0 + 3_000));
                Alert refused = alert(run, "e", AlertState.FIRING, AlertLevel.CRITICAL, 1, t0);
                refused.setLabels(Map.of("not-a-label-name", "x"));
                send(producer, refused);
                // the outage itself, not a wait for Kafka: half of it, one more alert, the rest
                Thread.sleep(DOWN.toMillis() / 2);
                send(
                        producer,
                        alert(run, "f", AlertState.FIRING, AlertLevel.CRITICAL, 1, t0 + 4_000));
                Thread.sleep(DOWN.toMillis() - (System.nanoTime() - downAt) / 1_000_000);
                long retriesWhileDown = forwarding.forwarder.counts().retries();

                alertmanager.start();
                long backAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(
                                () ->
                                        alertmanager.received("resolved") >= 2
                                                && names(alertmanager, run)
                                                        .equals(
                                                                List.of(
                                                                        "p99-b", "p99-c",
                                                                        "p99-f")));
                long recoveredMs = (System.nanoTime() - backAt) / 1_000_000;
                System.out.printf(
                        "Alertmanager down %d s; %d retries while down; every alert in it %d ms"
                                + " after it was back%n",
                        DOWN.toSeconds(), retriesWhileDown, recoveredMs);

                assertThat(retriesWhileDown).isPositive();
                // the two resolved alerts reached it once each; they no longer show as active
                assertThat(alertmanager.received("resolved")).isEqualTo(2);
                List<JsonNode> active =
                        alertmanager.alerts("run=\"" + run + "\"").stream()
                                .sorted(
                                        Comparator.comparing(
                                                a -> a.get("labels").get("alertname").asText()))
                                .toList();
                assertThat(active)
                        .extracting(a -> a.get("labels").get("severity").asText())
                        .containsExactly("warning", "critical", "critical");
                for (JsonNode alert : active) {
                    Map<String, String> labels = JSON.convertValue(alert.get("labels"), Map.class);
                    assertThat(alert.get("fingerprint").asText())
                            .isEqualTo(LabelFingerprint.of(labels));
                    assertThat(labels)
                            .containsEntry("run", run)
                            .containsEntry("metric", "p99")
                            .containsEntry("team", "payments");
                    // the episode's start: f began 4 s after the others
                    long startsAt = labels.get("alertname").equals("p99-f") ? t0 + 4_000 : t0;
                    assertThat(Instant.parse(alert.get("startsAt").asText()).toEpochMilli())
                            .isEqualTo(startsAt);
                    assertThat(Instant.parse(alert.get("endsAt").asText())).isAfter(Instant.now());
                    assertThat(alert.get("annotations").get("runbook").asText())
                            .isEqualTo("https://runbooks.example/p99");
                }
                assertThat(active.get(1).get("annotations").get("summary").asText())
                        .isEqualTo("critical: p99 812 ms > 500 ms on c of run " + run + " (shop)");
                // the alert Alertmanager refused (400: a label name it does not allow) is a dead
                // letter
                List<ConsumerRecord<byte[], byte[]>> dead =
                        pipeline.committedBytes(topics.deadLetters().name())
                                .readToEnd(Duration.ofSeconds(30));
                assertThat(dead)
                        .singleElement()
                        .satisfies(
                                record -> {
                                    assertThat(header(record, ForwardDeadLetters.REASON))
                                            .isEqualTo("rejected-by-receiver");
                                    assertThat(header(record, ForwardDeadLetters.DETAIL))
                                            .startsWith("HTTP 400 from Alertmanager at")
                                            .contains("not-a-label-name");
                                    assertThat(header(record, ForwardDeadLetters.SOURCE_TOPIC))
                                            .isEqualTo(topics.alerts().name());
                                });
            }
        }
    }

    @Test
    void shouldPostAfterARestartOnlyWhatWasNotAcknowledged(TestPipeline pipeline) throws Exception {
        Topics topics = pipeline.newTopics();
        alertsTopic = topics.alerts().name();
        String group = "restart-" + topics.alerts().name();
        try (Receiver receiver = Receiver.start(4);
                KafkaProducer<AlertKey, Alert> producer = pipeline.producer(topics.alerts())) {
            long t0 = System.currentTimeMillis();
            try (Forwarding first =
                    Forwarding.start(pipeline, topics, group, receiver.sender(), Duration.ZERO)) {
                for (int i = 1; i <= 8; i++) {
                    send(
                            producer,
                            alert("r1", "e" + i, AlertState.FIRING, AlertLevel.CRITICAL, 1, t0));
                }
                // four taken, then the receiver answers 503 and the forwarder retries the fifth
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.refused.get() >= 2);
            }
            assertThat(committed(pipeline, group)).isEqualTo(4);

            receiver.acceptAll();
            for (int i = 1; i <= 4; i++) {
                send(
                        producer,
                        alert(
                                "r1",
                                "e" + i,
                                AlertState.RESOLVED,
                                AlertLevel.CRITICAL,
                                2,
                                t0 + 5_000));
            }
            send(producer, alert("r1", "e9", AlertState.FIRING, AlertLevel.CRITICAL, 1, t0));
            send(producer, alert("r1", "e10", AlertState.FIRING, AlertLevel.CRITICAL, 1, t0));
            try (Forwarding second =
                    Forwarding.start(pipeline, topics, group, receiver.sender(), Duration.ZERO)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> committed(pipeline, group) == 14);
            }
            System.out.printf(
                    "restart: %d posts taken in all for 14 transitions, %d answered 503%n",
                    receiver.taken.size(), receiver.refused.get());
            assertThat(receiver.taken).hasSize(14).doesNotHaveDuplicates();
            assertThat(receiver.taken.stream().filter(t -> t.endsWith("/resolved")).count())
                    .isEqualTo(4);
        }
    }

    private static Alert alert(
            String run,
            String endpoint,
            AlertState state,
            AlertLevel level,
            long sequence,
            long t0) {
        return TestAlerts.alert(endpoint, state, level, sequence, t0)
                .setRunId(run)
                .setActiveSinceMs(t0)
                .build();
    }

    private void send(KafkaProducer<AlertKey, Alert> producer, Alert alert) throws Exception {
        producer.send(new ProducerRecord<>(alertsTopic, AlertLines.key(alert), alert)).get();
    }

    private static List<String> names(AlertmanagerProcess alertmanager, String run)
            throws Exception {
        return alertmanager.alerts("run=\"" + run + "\"").stream()
                .map(a -> a.get("labels").get("alertname").asText())
                .sorted()
                .toList();
    }

    private static long committed(TestPipeline pipeline, String group) throws Exception {
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            return admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .values()
                    .stream()
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A forwarder running on a thread of its own until closed. */
    private static final class Forwarding implements AutoCloseable {
        final AlertForwarder forwarder;
        private final Thread thread;

        private Forwarding(AlertForwarder forwarder) {
            this.forwarder = forwarder;
            this.thread = new Thread(forwarder::run, "forwarder");
        }

        static Forwarding start(
                TestPipeline pipeline,
                Topics topics,
                String group,
                AlertSender sender,
                Duration resend) {
            Forwarding forwarding =
                    new Forwarding(
                            AlertForwarder.open(
                                    pipeline.clientConfig(),
                                    pipeline.serdes(),
                                    topics,
                                    group,
                                    sender,
                                    AlertFilter.ALL,
                                    resend,
                                    new RetryBackoff(
                                            Duration.ofMillis(200), 2, Duration.ofSeconds(1))));
            forwarding.thread.start();
            return forwarding;
        }

        @Override
        public void close() throws InterruptedException {
            forwarder.stop();
            thread.join(Duration.ofSeconds(30).toMillis());
            forwarder.close();
        }
    }

    /**
     * A webhook receiver on loopback that takes the first {@code limit} posts (200) and answers 503
     * to the rest until told to take all; keeps {@code endpoint/status} of every alert it took.
     */
    private static final class Receiver implements AutoCloseable {
        final List<String> taken = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger refused = new AtomicInteger();
        private final HttpServer server;
        private volatile int limit;

        private Receiver(HttpServer server, int limit) {
            this.server = server;
            this.limit = limit;
        }

        static Receiver start(int limit) throws Exception {
            HttpServer server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            Receiver receiver = new Receiver(server, limit);
            server.createContext(
                    "/hook",
                    exchange -> {
                        JsonNode message = JSON.readTree(exchange.getRequestBody());
                        int status;
                        synchronized (receiver) {
                            if (receiver.taken.size() < receiver.limit) {
                                message.get("alerts")
                                        .forEach(
                                                a ->
                                                        receiver.taken.add(
                                                                a.get("labels")
                                                                                .get("endpoint")
                                                                                .asText()
                                                                        + "/"
                                                                        + a.get("status")
                                                                                .asText()));
                                status = 200;
                            } else {
                                receiver.refused.incrementAndGet();
                                status = 503;
                            }
                        }
                        exchange.sendResponseHeaders(status, -1);
                        exchange.close();
                    });
            server.start();
            return receiver;
        }

        synchronized void acceptAll() {
            limit = Integer.MAX_VALUE;
        }

        AlertSender sender() {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            return HttpAlertSender.webhook(
                    url,
                    new AlertmanagerMapping(Duration.ofMinutes(4), null),
                    System::currentTimeMillis);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
