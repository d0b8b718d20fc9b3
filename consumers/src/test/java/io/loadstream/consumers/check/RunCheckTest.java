package io.loadstream.consumers.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.ResultRecords;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RunCheckTest {

    private static final String RUN = "run-1";

    @TempDir Path dir;

    /** The summaries of {@link ResultRecords#stats}: p99 4.75 ms, 1 % errors, 100 req/s. */
    private static SortedMap<String, WindowStats> summaries(String... endpoints) {
        SortedMap<String, WindowStats> byEndpoint = new TreeMap<>();
        for (String endpoint : endpoints) {
            byEndpoint.put(
                    endpoint,
                    ResultRecords.stats(RUN, endpoint, 0, 1_000, 1_000).setFinal$(true).build());
        }
        return byEndpoint;
    }

    private static ThresholdRule.Builder rule(
            String id, String metric, Double warning, Double critical) {
        return ThresholdRule.newBuilder()
                .setRuleId(id)
                .setMetric(metric)
                .setComparator(Comparator.ABOVE)
                .setWarning(warning)
                .setCritical(critical)
                .setResolutionMs(0);
    }

    private static Alert alert(String ruleId, String endpoint, AlertState state, AlertLevel worst) {
        return Alert.newBuilder()
                .setRuleId(ruleId)
                .setRunId(RUN)
                .setScenario(ResultRecords.SCENARIO)
                .setEndpoint(endpoint)
                .setState(state)
                .setLevel(AlertLevel.CRITICAL)
                .setMetric("p99")
                .setValue(9_000)
                .setThreshold(5_000)
                .setSinceMs(0)
                .setWindowStartMs(0)
                .setResolutionMs(1000)
                .setSequence(2)
                .setEpisodes(worst == null ? 0 : 1)
                .setWorstLevel(worst)
                .build();
    }

    @Test
    void shouldJudgeRunLevelRulesOnTheFinalSummary() {
        List<RuleVerdict> verdicts =
                RunCheck.judge(
                        RUN,
                        summaries("api"),
                        List.of(
                                rule("p99-ok", "p99", null, 5_000.0).build(),
                                rule("p99-warn", "p99", 4_000.0, 5_000.0).build(),
                                rule("p99-bad", "p99", 2_000.0, 4_000.0).build(),
                                rule("throughput", "throughput", null, 150.0)
                                        .setComparator(Comparator.BELOW)
                                        .build(),
                                rule("errors-too-few", "error_rate", null, 0.001)
                                        .setMinCount(5_000)
                                        .build()),
                        Map.of());

        assertThat(verdicts)
                .extracting(v -> v.rule().getRuleId() + "=" + v.label())
                .containsExactly(
                        "errors-too-few=PASS",
                        "p99-bad=CRITICAL",
                        "p99-ok=PASS",
                        "p99-warn=WARNING",
                        "throughput=CRITICAL");
        assertThat(verdicts.get(0).note()).contains("fewer than 5000");
        assertThat(verdicts.get(1).value()).contains(4_750.0);
    }

    @Test
    void shouldTakeAWindowRulesVerdictFromTheWorstLevelItsAlertFiredAt() {
        ThresholdRule windows = rule("p99-1s", "p99", null, 5_000.0).setResolutionMs(1000).build();
        AlertKey pay = new AlertKey("p99-1s", RUN, ResultRecords.SCENARIO, "pay");

        List<RuleVerdict> verdicts =
                RunCheck.judge(
                        RUN,
                        summaries("api", "pay"),
                        List.of(windows),
                        // fired and resolved before the run ended: still a failed gate
                        Map.of(
                                pay,
                                alert("p99-1s", "pay", AlertState.RESOLVED, AlertLevel.CRITICAL)));

        assertThat(verdicts)
                .extracting(RuleVerdict::endpoint, RuleVerdict::label)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("api", "PASS"),
                        org.assertj.core.groups.Tuple.tuple("pay", "CRITICAL"));
        assertThat(verdicts.get(1).note()).isEqualTo("fired 1x; last 9 ms, now RESOLVED");
        assertThat(new CheckReport(RUN, verdicts, AlertLevel.CRITICAL).failed()).isTrue();
    }

    @Test
    void shouldKeepAnAlertWhoseRuleWasDeletedSince() {
        AlertKey key = new AlertKey("gone", RUN, ResultRecords.SCENARIO, "api");

        List<RuleVerdict> verdicts =
                RunCheck.judge(
                        RUN,
                        summaries("api"),
                        List.of(),
                        Map.of(key, alert("gone", "api", AlertState.FIRING, AlertLevel.WARNING)));

        assertThat(verdicts)
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.label()).isEqualTo("WARNING");
                            assertThat(v.note()).startsWith("rule deleted since");
                        });
    }

    @Test
    void shouldFailOnWarningOnlyWhenAskedTo() {
        List<RuleVerdict> verdicts =
                RunCheck.judge(
                        RUN,
                        summaries("api"),
                        List.of(rule("w", "p99", 4_000.0, 9_000.0).build()),
                        Map.of());

        assertThat(new CheckReport(RUN, verdicts, AlertLevel.CRITICAL).failed()).isFalse();
        assertThat(new CheckReport(RUN, verdicts, AlertLevel.WARNING).failed()).isTrue();
    }

    @Test
    void shouldWriteATableMarkdownAndValidJUnitXml() throws Exception {
        List<RuleVerdict> verdicts =
                RunCheck.judge(
                        RUN,
                        summaries("api", "pay"),
                        List.of(
                                rule("p99 <limit> & \"more\"", "p99", null, 4_000.0).build(),
                                rule("errors", "error_rate", null, 0.05).build()),
                        Map.of());
        CheckReport report = new CheckReport(RUN, verdicts, AlertLevel.CRITICAL);

        StringWriter table = new StringWriter();
        report.printTable(new PrintWriter(table));
        assertThat(table.toString())
                .contains("4.75 ms", "> 4 ms", "1 %", "> 5 %", "CRITICAL")
                .contains("4 checked, 2 critical, 0 warning: FAILED");

        Path markdown = dir.resolve("check.md");
        report.writeMarkdown(markdown);
        assertThat(Files.readString(markdown)).contains("FAILED", "| **CRITICAL** |");

        Path xml = dir.resolve("check.xml");
        report.writeJUnitXml(xml);
        Document doc =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(((Element) cases.item(1)).getAttribute("name"))
                .isEqualTo("p99 <limit> & \"more\" @ api");
        assertThat(((Element) cases.item(1)).getElementsByTagName("failure").getLength()).isOne();
        assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
    }
}
