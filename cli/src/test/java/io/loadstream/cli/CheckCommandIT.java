package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * {@code loadstream check} on the module's broker, over results written the way analyze writes
 * them: a clean run, a run whose p99 broke the critical threshold of its scenario, a run with a
 * window alert that fired, a run still going, and a run that does not exist.
 */
@LocalPipeline
class CheckCommandIT {

    private static final String SCENARIO = "checkout";

    @TempDir Path dir;

    @Test
    void shouldPassACleanRunFailABrokenOneAndSayWhenResultsAreMissing(TestPipeline pipeline)
            throws Exception {
        String prefix = pipeline.newPrefix();
        Topics topics = pipeline.createTopics(new Topics(prefix));
        try (KafkaProducer<String, ThresholdRule> rules = pipeline.producer(topics.rules());
                KafkaProducer<RunKey, WindowStats> summaries =
                        pipeline.producer(topics.runSummaries());
                KafkaProducer<AlertKey, Alert> alerts = pipeline.producer(topics.alerts())) {
            rules.send(
                    record(topics, rule("scenario:checkout:p99", "p99", 300_000.0, 500_000.0, 0)));
            rules.send(record(topics, rule("p99-10s", "p99", null, 800_000.0, 10_000)));
            summaries.send(summary(topics, "clean", 200_000, true));
            summaries.send(summary(topics, "spiked", 2_000_000, true));
            summaries.send(summary(topics, "windows", 200_000, true));
            summaries.send(summary(topics, "going", 200_000, false));
            alerts.send(
                    new ProducerRecord<>(
                            topics.alerts().name(),
                            new AlertKey("p99-10s", "windows", SCENARIO, "pay"),
                            firedAndResolved("windows")));
        }
        Path junit = dir.resolve("check.xml");
        Path markdown = dir.resolve("check.md");

        CommandRun clean = check(pipeline, prefix, "clean");
        CommandRun spiked =
                check(
                        pipeline,
                        prefix,
                        "spiked",
                        "--junit-xml",
                        junit.toString(),
                        "--markdown",
                        markdown.toString());
        CommandRun windows = check(pipeline, prefix, "windows");
        CommandRun going = check(pipeline, prefix, "going", "--wait", "2s");
        CommandRun missing = check(pipeline, prefix, "no-such-run");
        CommandRun strict = check(pipeline, prefix, "clean", "--fail-on", "warning");

        assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out())
                .containsPattern(
                        "scenario:checkout:p99\\s+pay\\s+p99\\s+run\\s+200 ms\\s+> 300 ms\\s+> 500"
                                + " ms\\s+PASS")
                .contains("2 checked, 0 critical, 0 warning: passed");
        assertThat(spiked.exitCode()).isEqualTo(1);
        assertThat(spiked.out())
                .containsPattern("p99\\s+run\\s+2000 ms\\s+> 300 ms\\s+> 500 ms\\s+CRITICAL");
        Element suite =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(junit.toFile())
                        .getDocumentElement();
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(java.nio.file.Files.readString(markdown)).contains("**CRITICAL**");
        // a 10 s window alert that fired and resolved before the end still fails the gate
        assertThat(windows.exitCode()).isEqualTo(1);
        assertThat(windows.out())
                .containsPattern(
                        "p99-10s\\s+pay\\s+p99\\s+10s\\s+.*-\\s+> 800 ms\\s+CRITICAL\\s+fired 1x;"
                                + " last 400 ms, now RESOLVED");
        assertThat(going.exitCode()).isEqualTo(2);
        assertThat(going.err()).contains("not final after 2 s", "[pay]");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no results for run no-such-run");
        assertThat(strict.exitCode()).isZero();
    }

    private static CommandRun check(
            TestPipeline pipeline, String prefix, String runId, String... more) {
        String[] base = {
            "check",
            "--bootstrap-servers",
            pipeline.bootstrapServers(),
            "--schema-registry-url",
            pipeline.registryUrl(),
            "--topic-prefix",
            prefix,
            "--run",
            runId
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CommandRun.of(args);
    }

    private static ThresholdRule rule(
            String id, String metric, Double warning, Double critical, long resolutionMs) {
        return ThresholdRule.newBuilder()
                .setRuleId(id)
                .setScenario(SCENARIO)
                .setMetric(metric)
                .setComparator(Comparator.ABOVE)
                .setWarning(warning)
                .setCritical(critical)
                .setResolutionMs(resolutionMs)
                .build();
    }

    private static ProducerRecord<String, ThresholdRule> record(Topics topics, ThresholdRule rule) {
        return new ProducerRecord<>(topics.rules().name(), rule.getRuleId(), rule);
    }

    private static ProducerRecord<RunKey, WindowStats> summary(
            Topics topics, String runId, long p99Us, boolean isFinal) {
        WindowStats stats =
                WindowStats.newBuilder()
                        .setRunId(runId)
                        .setScenario(SCENARIO)
                        .setEndpoint("pay")
                        .setResolutionMs(0)
                        .setWindowStartMs(0)
                        .setWindowEndMs(30_000)
                        .setCount(3_000)
                        .setErrors(0)
                        .setOutcomeCounts(Map.of("SUCCESS", 3_000L))
                        .setErrorRate(0)
                        .setThroughput(100)
                        .setMeanUs(p99Us / 2.0)
                        .setMinUs(1_000)
                        .setP50Us(p99Us / 2)
                        .setP90Us(p99Us / 2)
                        .setP95Us(p99Us / 2)
                        .setP99Us(p99Us)
                        .setP999Us(p99Us)
                        .setMaxUs(p99Us)
                        .setHistogram(ByteBuffer.wrap(new byte[0]))
                        .setFinal$(isFinal)
                        .build();
        return new ProducerRecord<>(
                topics.runSummaries().name(), new RunKey(runId, SCENARIO, "pay"), stats);
    }

    private static Alert firedAndResolved(String runId) {
        return Alert.newBuilder()
                .setRuleId("p99-10s")
                .setRunId(runId)
                .setScenario(SCENARIO)
                .setEndpoint("pay")
                .setState(AlertState.RESOLVED)
                .setLevel(AlertLevel.CRITICAL)
                .setMetric("p99")
                .setValue(400_000)
                .setThreshold(800_000)
                .setSinceMs(20_000)
                .setWindowStartMs(10_000)
                .setResolutionMs(10_000)
                .setSequence(2)
                .setEpisodes(1)
                .setWorstLevel(AlertLevel.CRITICAL)
                .build();
    }
}
