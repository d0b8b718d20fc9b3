package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loadstream generate} on the module's shared broker. */
@LocalPipeline
class GenerateCommandIT {

    private static final String SCENARIO =
            """
            name: refused
            type: load
            endpoints:
              - name: home
                url: ${target}/home
            executor:
              type: constant-arrival-rate
              rate: 20
              duration: 2s
            """;

    @Test
    void shouldFailWhenTheTargetRefusesEveryConnection(TestPipeline pipeline, @TempDir Path dir)
            throws Exception {
        Path scenario = Files.writeString(dir.resolve("refused.yaml"), SCENARIO);
        String prefix = pipeline.newPrefix();

        CommandRun run =
                CommandRun.of(
                        "generate",
                        "-b",
                        pipeline.bootstrapServers(),
                        "--schema-registry-url",
                        pipeline.registryUrl(),
                        "--topic-prefix",
                        prefix,
                        "--scenario",
                        scenario.toString(),
                        "--target-url",
                        "http://127.0.0.1:" + closedPort(),
                        "--warmup",
                        "1s");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILURE);
        // every event reached Kafka: what failed is the target, and the error line says so
        long sent = count(run.out(), "sent");
        assertThat(sent).isPositive();
        assertThat(count(run.out(), "acknowledged")).isEqualTo(sent);
        // a warm-up of 1 s at the file's 20 req/s precedes its 2 s
        assertThat(sent).isEqualTo(60);
        assertThat(count(run.out(), "warmup")).isEqualTo(20);
        // a scenario without thresholds publishes no rules: the rules topic is not even created
        assertThat(topicNames(pipeline)).doesNotContain(prefix + "rules");
        assertThat(run.errLines())
                .containsExactly(
                        "error: none of the "
                                + sent
                                + " requests succeeded ("
                                + sent
                                + " CONNECT_ERROR): is the target running, and is --target-url"
                                + " right?");
    }

    @Test
    void shouldPublishTheScenarioThresholdsAsRulesBeforeTimeZero(
            TestPipeline pipeline, @TempDir Path dir) throws Exception {
        Path scenario =
                Files.writeString(
                        dir.resolve("refused.yaml"),
                        SCENARIO.replace("duration: 2s", "duration: 1s")
                                + "thresholds: {p99: {warning: 300ms, critical: 500ms}, errorRate:"
                                + " 1%}\n");
        String prefix = pipeline.newPrefix();
        Topics topics = new Topics(prefix);

        CommandRun run =
                CommandRun.of(
                        "generate",
                        "-b",
                        pipeline.bootstrapServers(),
                        "--schema-registry-url",
                        pipeline.registryUrl(),
                        "--topic-prefix",
                        prefix,
                        "--scenario",
                        scenario.toString(),
                        "--target-url",
                        "http://127.0.0.1:" + closedPort());

        assertThat(count(run.out(), "acknowledged")).as(run.err()).isEqualTo(20);
        List<ConsumerRecord<String, ThresholdRule>> rules;
        try (CommittedRecords<String, ThresholdRule> reader = pipeline.committed(topics.rules())) {
            rules = reader.readToEnd(Duration.ofSeconds(10));
        }
        assertThat(rules)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("scenario:refused:p99", "scenario:refused:error_rate");
        ThresholdRule p99 =
                rules.stream()
                        .filter(r -> r.key().endsWith(":p99"))
                        .findFirst()
                        .orElseThrow()
                        .value();
        assertThat(p99.getScenario()).isEqualTo("refused");
        assertThat(p99.getWarning()).isEqualTo(300_000.0);
        assertThat(p99.getCritical()).isEqualTo(500_000.0);
        assertThat(p99.getResolutionMs()).isZero();
        assertThat(p99.getSource()).isEqualTo("scenario " + scenario);
        // written (and acknowledged) before the run's time 0, the earliest intended send time
        long firstIntendedMs;
        try (CommittedRecords<SeriesKey, RequestTiming> timings =
                pipeline.committed(topics.timings())) {
            firstIntendedMs =
                    timings.readToEnd(Duration.ofSeconds(10)).stream()
                                    .mapToLong(r -> r.value().getIntendedSendTimeUs())
                                    .min()
                                    .orElseThrow()
                            / 1_000;
        }
        assertThat(rules)
                .allSatisfy(
                        rule -> assertThat(rule.timestamp()).isLessThanOrEqualTo(firstIntendedMs));
    }

    private static java.util.Set<String> topicNames(TestPipeline pipeline) throws Exception {
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            return admin.listTopics().names().get();
        }
    }

    /** A loopback port nothing listens on: connecting to it is refused at once. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static long count(String out, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(out);
        assertThat(m.find()).as(name + " in " + out).isTrue();
        return Long.parseLong(m.group(1));
    }
}
