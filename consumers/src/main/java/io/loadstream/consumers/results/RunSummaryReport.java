package io.loadstream.consumers.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.live.StatsTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The report at the end of a run: the summary of each endpoint beside what the generators counted,
 * as a text table for people and as a JSON file for scripts and tests. Latencies are corrected for
 * coordinated omission (from the intended send time) and shown in milliseconds. The requests of a
 * warm-up are in no figure of the table; the report says how many there were.
 *
 * <p>The JSON file:
 *
 * <pre>{@code
 * {
 *   "runId" : "demo-1a2b3c4d",
 *   "latencyUnit" : "ms",
 *   "sent" : 2900, "acknowledged" : 2900, "failed" : 0, "dropped" : 0,
 *   "counted" : 2400, "warmup" : 500,
 *   "endpoints" : {
 *     "home" : { "count" : 800, "errors" : 4, "errorRate" : 0.005, "throughput" : 100.1,
 *                "p50" : 4.2, "p95" : 9.8, "p99" : 15.1, "max" : 21.3 }, ...
 *   }
 * }
 * }</pre>
 */
public record RunSummaryReport(RunSummaries summaries, GeneratorCounts generator) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A title line, one row per endpoint (see {@link StatsTable#summaries}) and the counts. */
    public String text() {
        return String.format(
                        Locale.ROOT,
                        "Run %s summary (latency from the intended send time):%n",
                        summaries.runId())
                + StatsTable.summaries(summaries.byEndpoint().values())
                + String.format(
                        Locale.ROOT,
                        "generator: sent %d, acknowledged %d, failed %d, dropped %d; analytics"
                                + " counted %d%n",
                        generator.sent(),
                        generator.acknowledged(),
                        generator.failed(),
                        generator.dropped(),
                        summaries.counted())
                + warmupLine();
    }

    private String warmupLine() {
        long warmup = summaries.warmup();
        return warmup == 0
                ? ""
                : String.format(
                        Locale.ROOT, "warm-up: %d requests excluded from these results%n", warmup);
    }

    /** Writes the report as JSON to {@code file}, replacing it. */
    public void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runId", summaries.runId());
        json.put("latencyUnit", "ms");
        json.put("sent", generator.sent());
        json.put("acknowledged", generator.acknowledged());
        json.put("failed", generator.failed());
        json.put("dropped", generator.dropped());
        json.put("counted", summaries.counted());
        json.put("warmup", summaries.warmup());
        Map<String, Object> endpoints = new LinkedHashMap<>();
        summaries.byEndpoint().forEach((endpoint, s) -> endpoints.put(endpoint, endpointJson(s)));
        json.put("endpoints", endpoints);
        JSON.writeValue(file.toFile(), json);
    }

    private static Map<String, Object> endpointJson(WindowStats s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("count", s.getCount());
        row.put("warmup", s.getWarmup());
        row.put("errors", s.getErrors());
        row.put("errorRate", s.getErrorRate());
        row.put("throughput", s.getThroughput());
        row.put("p50", StatsTable.ms(s.getP50Us()));
        row.put("p95", StatsTable.ms(s.getP95Us()));
        row.put("p99", StatsTable.ms(s.getP99Us()));
        row.put("max", StatsTable.ms(s.getMaxUs()));
        return row;
    }
}
