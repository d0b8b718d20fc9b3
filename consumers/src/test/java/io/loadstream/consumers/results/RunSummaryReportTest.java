package io.loadstream.consumers.results;

import static io.loadstream.consumers.ResultRecords.stats;
import static io.loadstream.consumers.ResultRecords.summary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadstream.avro.WindowStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSummaryReportTest {

    private static final GeneratorCounts GENERATOR = new GeneratorCounts(1_010, 1_000, 4, 6);

    @Test
    void shouldWriteTheJsonFileOfTheDemoFieldForField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        WindowStats home =
                stats("r1", "home", 0, 1_000, 800).setThroughput(133.25).setWarmup(150).build();

        report(Map.of("home", home)).writeJson(file);

        assertThat(Files.readString(file))
                .isEqualTo(
                        """
                        {
                          "runId" : "r1",
                          "latencyUnit" : "ms",
                          "sent" : 1010,
                          "acknowledged" : 1000,
                          "failed" : 4,
                          "dropped" : 6,
                          "counted" : 800,
                          "warmup" : 150,
                          "endpoints" : {
                            "home" : {
                              "count" : 800,
                              "warmup" : 150,
                              "errors" : 8,
                              "errorRate" : 0.01,
                              "throughput" : 133.25,
                              "p50" : 1.5,
                              "p95" : 2.5,
                              "p99" : 4.75,
                              "max" : 12.345
                            }
                          }
                        }"""
                                .replace("\n", System.lineSeparator()));
    }

    @Test
    void shouldListEndpointsByNameWithLatenciesInMilliseconds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        WindowStats search = stats("r1", "search", 0, 1_000, 10).setP99Us(250_500).build();

        report(Map.of("search", search, "checkout", summary("r1", "checkout", 10))).writeJson(file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("latencyUnit").asText()).isEqualTo("ms");
        assertThat(List.copyOf(json.get("endpoints").properties()))
                .extracting(Map.Entry::getKey)
                .containsExactly("checkout", "search");
        assertThat(json.get("endpoints").get("search").get("p99").asDouble()).isEqualTo(250.5);
    }

    @Test
    void shouldPrintTheTableAndCompareTheCountsWithTheGenerators() {
        String text =
                report(
                                Map.of(
                                        "home",
                                        summary("r1", "home", 600),
                                        "search",
                                        summary("r1", "search", 394)))
                        .text();

        assertThat(text.lines())
                .first()
                .isEqualTo("Run r1 summary (latency from the intended send time):");
        assertThat(text.lines()).hasSize(5);
        assertThat(text.lines().toList().get(1)).startsWith("endpoint");
        assertThat(text.lines().toList().get(2)).startsWith("home ");
        assertThat(text.lines().toList().get(3)).startsWith("search ");
        assertThat(text)
                .endsWith(
                        "generator: sent 1010, acknowledged 1000, failed 4, dropped 6; analytics"
                                + " counted 994"
                                + System.lineSeparator());
    }

    @Test
    void shouldSayHowManyWarmupRequestsWereExcluded() {
        String text =
                report(
                                Map.of(
                                        "home",
                                        stats("r1", "home", 0, 1_000, 600).setWarmup(200).build(),
                                        "search",
                                        stats("r1", "search", 0, 1_000, 394)
                                                .setWarmup(100)
                                                .build()))
                        .text();

        assertThat(text)
                .contains("analytics counted 994" + System.lineSeparator())
                .endsWith(
                        "warm-up: 300 requests excluded from these results"
                                + System.lineSeparator());
        assertThat(report(Map.of("home", summary("r1", "home", 600))).text())
                .doesNotContain("warm-up");
    }

    @Test
    void shouldAccountForTheWarmupBesideTheCountedRequests() {
        RunSummaries summaries =
                new RunSummaries(
                        "r1",
                        new TreeMap<>(
                                Map.of(
                                        "home",
                                        stats("r1", "home", 0, 1_000, 600)
                                                .setWarmup(200)
                                                .build())));

        assertThat(summaries.counted()).isEqualTo(600);
        assertThat(summaries.warmup()).isEqualTo(200);
        assertThat(summaries.accountedFor()).isEqualTo(800);
    }

    private static RunSummaryReport report(Map<String, WindowStats> byEndpoint) {
        return new RunSummaryReport(new RunSummaries("r1", new TreeMap<>(byEndpoint)), GENERATOR);
    }
}
