package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, on the embedded default, shortened. */
class DemoCommandIT {

    @Test
    void shouldCountEveryAcknowledgedEventButTheWarmupAndShowEachEndpointsProfile(@TempDir Path dir)
            throws Exception {
        Path json = dir.resolve("out.json");

        CommandRun run =
                CommandRun.of(
                        "demo",
                        "--duration",
                        "8s",
                        "--warmup",
                        "2s",
                        "--rate",
                        "300",
                        "--summary-json",
                        json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("summary", "home", "search", "checkout");
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        long acknowledged = summary.get("acknowledged").asLong();
        long counted = 0;
        for (JsonNode endpoint : summary.get("endpoints")) {
            counted += endpoint.get("count").asLong();
            assertThat(endpoint.get("p50").asDouble())
                    .isLessThanOrEqualTo(endpoint.get("p95").asDouble());
            assertThat(endpoint.get("p95").asDouble())
                    .isLessThanOrEqualTo(endpoint.get("p99").asDouble());
            assertThat(endpoint.get("p99").asDouble())
                    .isLessThanOrEqualTo(endpoint.get("max").asDouble());
        }
        // 2 s of warm-up then 8 s at 300 req/s: the warm-up's 600 are published, acknowledged and
        // counted apart, in no endpoint's figures
        assertThat(acknowledged).isEqualTo(3000);
        assertThat(summary.get("warmup").asLong()).isEqualTo(600);
        assertThat(counted)
                .isEqualTo(acknowledged - 600)
                .isEqualTo(summary.get("counted").asLong());
        assertThat(run.out()).contains("warm-up: 600 requests excluded from these results");
        // A request cannot be answered sooner than the target planned it, so each endpoint's
        // median is at least (nearly) its profile's: home 5 ms, search 30 ms, checkout 80 ms. A
        // busy machine only adds to it, so no upper bound is asserted.
        JsonNode endpoints = summary.get("endpoints");
        assertThat(endpoints.get("home").get("p50").asDouble()).isGreaterThanOrEqualTo(4.0);
        assertThat(endpoints.get("search").get("p50").asDouble()).isGreaterThanOrEqualTo(24.0);
        assertThat(endpoints.get("checkout").get("p50").asDouble()).isGreaterThanOrEqualTo(64.0);
    }
}
