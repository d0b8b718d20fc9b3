package io.loadstream.consumers.check;

import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.Comparator;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.consumers.alerts.MetricValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The verdicts of one run in the three shapes {@code check} writes: a table for the terminal,
 * Markdown for a pull request, JUnit XML for CI systems (one test case per rule and endpoint, a
 * failure for each verdict at or above the gate's level).
 */
public record CheckReport(String runId, List<RuleVerdict> verdicts, AlertLevel failOn) {

    /** Whether the run fails the gate. */
    public boolean failed() {
        return verdicts.stream().anyMatch(v -> v.fails(failOn));
    }

    /** One line per rule and endpoint, then the verdict. */
    public void printTable(PrintWriter out) {
        String format = "%-32s %-16s %-10s %-6s %12s %12s %12s  %-8s %s%n";
        out.printf(
                format,
                "RULE",
                "ENDPOINT",
                "METRIC",
                "OVER",
                "VALUE",
                "WARNING",
                "CRITICAL",
                "VERDICT",
                "");
        for (RuleVerdict v : verdicts) {
            ThresholdRule rule = v.rule();
            out.printf(
                    format,
                    rule.getRuleId(),
                    v.endpoint(),
                    rule.getMetric(),
                    resolution(rule),
                    v.value().map(x -> MetricValues.format(rule.getMetric(), x)).orElse("-"),
                    limit(rule, rule.getWarning()),
                    limit(rule, rule.getCritical()),
                    v.label(),
                    v.note());
        }
        out.println(summary());
        out.flush();
    }

    /** A Markdown table with the same columns and the verdict as a heading. */
    public void writeMarkdown(Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("### loadstream check: run `")
                .append(runId)
                .append("` ")
                .append(failed() ? "FAILED" : "passed")
                .append("\n\n");
        md.append("| Rule | Endpoint | Metric | Over | Value | Warning | Critical | Verdict |\n");
        md.append("|---|---|---|---|---:|---:|---:|---|\n");
        for (RuleVerdict v : verdicts) {
            ThresholdRule rule = v.rule();
            md.append("| ")
                    .append(cell(rule.getRuleId()))
                    .append(" | ")
                    .append(cell(v.endpoint()))
                    .append(" | ")
                    .append(rule.getMetric())
                    .append(" | ")
                    .append(resolution(rule))
                    .append(" | ")
                    .append(
                            v.value()
                                    .map(x -> MetricValues.format(rule.getMetric(), x))
                                    .orElse("-"))
                    .append(" | ")
                    .append(limit(rule, rule.getWarning()))
                    .append(" | ")
                    .append(limit(rule, rule.getCritical()))
                    .append(" | ")
                    .append(v.fails(failOn) ? "**" + v.label() + "**" : v.label())
                    .append(v.note().isEmpty() ? "" : " (" + cell(v.note()) + ")")
                    .append(" |\n");
        }
        md.append("\n").append(summary()).append("\n");
        Files.writeString(file, md);
    }

    /** A JUnit XML test suite, one test case per verdict. */
    public void writeJUnitXml(Path file) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(writer);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "loadstream check " + runId);
            xml.writeAttribute("tests", Integer.toString(verdicts.size()));
            xml.writeAttribute(
                    "failures",
                    Long.toString(verdicts.stream().filter(v -> v.fails(failOn)).count()));
            xml.writeAttribute("errors", "0");
            for (RuleVerdict v : verdicts) {
                ThresholdRule rule = v.rule();
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "loadstream." + v.scenario());
                xml.writeAttribute("name", rule.getRuleId() + " @ " + v.endpoint());
                xml.writeAttribute("time", "0");
                if (v.fails(failOn)) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", v.label());
                    xml.writeAttribute("message", line(v));
                    xml.writeCharacters(line(v));
                    xml.writeEndElement();
                } else {
                    xml.writeStartElement("system-out");
                    xml.writeCharacters(line(v));
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code run R: 12 rules, 1 CRITICAL, 2 WARNING: FAILED (fails on critical)}. */
    public String summary() {
        long critical = verdicts.stream().filter(v -> v.label().equals("CRITICAL")).count();
        long warning = verdicts.stream().filter(v -> v.label().equals("WARNING")).count();
        return String.format(
                Locale.ROOT,
                "run %s: %d checked, %d critical, %d warning: %s (fails on %s)",
                runId,
                verdicts.size(),
                critical,
                warning,
                failed() ? "FAILED" : "passed",
                failOn.name().toLowerCase(Locale.ROOT));
    }

    private static String line(RuleVerdict v) {
        ThresholdRule rule = v.rule();
        return String.format(
                Locale.ROOT,
                "%s %s of %s over %s: %s, warning %s, critical %s%s",
                v.label(),
                rule.getMetric(),
                v.endpoint(),
                resolution(rule),
                v.value().map(x -> MetricValues.format(rule.getMetric(), x)).orElse("-"),
                limit(rule, rule.getWarning()),
                limit(rule, rule.getCritical()),
                v.note().isEmpty() ? "" : " (" + v.note() + ")");
    }

    private static String resolution(ThresholdRule rule) {
        long ms = rule.getResolutionMs();
        return ms == 0 ? "run" : ms % 60_000 == 0 ? ms / 60_000 + "m" : ms / 1000 + "s";
    }

    private static String limit(ThresholdRule rule, Double threshold) {
        if (threshold == null) {
            return "-";
        }
        return (rule.getComparator() == Comparator.ABOVE ? "> " : "< ")
                + MetricValues.format(rule.getMetric(), threshold);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
