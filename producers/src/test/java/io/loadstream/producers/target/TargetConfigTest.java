package io.loadstream.producers.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.producers.target.FaultSpec.FaultType;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetConfigTest {

    @Test
    void shouldFillInEndpointDefaults() {
        TargetConfig config =
                TargetConfig.parse(
                        """
                        endpoints:
                          - name: home
                            median: 5ms
                            p99: 25ms
                        """,
                        "t.yaml");

        assertThat(config.endpoints())
                .containsExactly(
                        new TargetEndpoint(
                                "home",
                                "/home",
                                Duration.ofMillis(5),
                                Duration.ofMillis(25),
                                256,
                                0,
                                500));
        assertThat(config.faults()).isEmpty();
    }

    @Test
    void shouldReadErrorRateAsPercentageOrFraction() {
        TargetConfig config =
                TargetConfig.parse(
                        """
                        endpoints:
                          - {name: a, median: 1ms, p99: 2ms, errorRate: 2%}
                          - {name: b, median: 1ms, p99: 2ms, errorRate: 0.02, errorStatus: 502}
                          - {name: c, median: 1ms, p99: 2ms, errorRate: "0.5 %", path: /x/c}
                        """,
                        "t.yaml");

        assertThat(config.endpoints())
                .extracting(TargetEndpoint::errorRate)
                .containsExactly(0.02, 0.02, 0.005);
        assertThat(config.endpoints().get(1).errorStatus()).isEqualTo(502);
        assertThat(config.endpoints().get(2).path()).isEqualTo("/x/c");
    }

    @Test
    void shouldReadFaults() {
        TargetConfig config =
                TargetConfig.parse(
                        """
endpoints:
  - {name: search, median: 30ms, p99: 200ms}
faults:
  - {type: latency-spike, endpoint: search, start: 20s, duration: 5s, factor: 8}
  - {type: error-burst, start: 35s, duration: 4s, percent: 30}
  - {type: regression, start: 45s, percent: 30}
  - {type: recovery, start: 50s}
""",
                        "t.yaml");

        assertThat(config.faults())
                .extracting(FaultSpec::type)
                .containsExactly(
                        FaultType.LATENCY_SPIKE,
                        FaultType.ERROR_BURST,
                        FaultType.REGRESSION,
                        FaultType.RECOVERY);
        assertThat(config.faults().get(0).duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.faults().get(1).burstStatus()).isEqualTo(503);
    }

    @Test
    void shouldLoadTheDemoTarget() {
        TargetConfig config = TargetConfig.load(Path.of("..", "targets", "demo.yaml"));

        assertThat(config.endpointNames()).containsExactly("home", "search", "checkout");
        assertThat(config.endpoints().get(2).payloadBytes()).isEqualTo(2048);
        assertThat(config.endpoints().get(0).errorRate()).isEqualTo(0.001);
        assertThat(config.faults())
                .extracting(FaultSpec::describe)
                .containsExactly(
                        "latency-spike on search at 20s for 5s: latency x8",
                        "error-burst on checkout at 35s for 4s: 30% of responses fail with 503",
                        "regression on home at 45s: latency +30% until a recovery");
    }

    @Test
    void shouldNameFileLineAndFieldOfABadDuration() {
        String yaml =
                """
                endpoints:
                  - name: home
                    median: 5ms
                    p99: 25ms
                  - name: search
                    median: fast
                    p99: 200ms
                """;

        assertThatThrownBy(() -> TargetConfig.parse(yaml, "t.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("t.yaml, line 6, column 5: endpoints[1].median: ")
                .hasMessageContaining("'fast' is not a duration");
    }

    @Test
    void shouldNameAnUnknownFieldAndTheKnownOnes() {
        String yaml =
                """
                endpoints:
                  - name: home
                    median: 5ms
                    p99: 25ms
                    payload_bytes: 100
                """;

        assertThatThrownBy(() -> TargetConfig.parse(yaml, "t.yaml"))
                .hasMessageStartingWith("t.yaml, line 5, column 5: endpoints[0].payload_bytes: ")
                .hasMessageContaining("unknown field 'payload_bytes'")
                .hasMessageContaining("payloadBytes");
    }

    @Test
    void shouldPointAtTheStartOfAnEndpointThatFailsItsChecks() {
        String yaml =
                """
                endpoints:
                  - name: home
                    median: 5ms
                    p99: 25ms
                  - name: search
                    median: 30ms
                    p99: 20ms
                  - name: checkout
                """;

        assertThatThrownBy(() -> TargetConfig.parse(yaml, "t.yaml"))
                .hasMessageStartingWith("t.yaml, line 5, column 5: endpoints[1]: ")
                .hasMessageContaining("p99 must be greater than the median 30ms, not 20ms");
    }

    @Test
    void shouldPointAtAFaultOnAnUnknownEndpoint() {
        String yaml =
                """
                endpoints:
                  - {name: home, median: 5ms, p99: 25ms}
                  - {name: search, median: 30ms, p99: 200ms}
                faults:
                  - {type: hang, start: 1s, duration: 1s}
                  - {type: hang, endpoint: serch, start: 1s, duration: 1s}
                """;

        assertThatThrownBy(() -> TargetConfig.parse(yaml, "t.yaml"))
                .hasMessage(
                        "t.yaml, line 6, column 5: faults[1].endpoint: 'serch' is not an endpoint"
                                + " of this target (home, search)");
    }

    @Test
    void shouldPointAtAFaultWithoutTheFieldsItsTypeNeeds() {
        String yaml =
                """
                endpoints:
                  - {name: home, median: 5ms, p99: 25ms}
                faults:
                  - type: latency-spike
                    start: 1s
                    factor: 4
                """;

        assertThatThrownBy(() -> TargetConfig.parse(yaml, "t.yaml"))
                .hasMessage(
                        "t.yaml, line 4, column 5: faults[0]: duration is required for a"
                                + " latency-spike");
    }

    @Test
    void shouldRejectAFieldThatDoesNotApplyToTheFaultType() {
        String yaml =
                """
                endpoints:
                  - {name: home, median: 5ms, p99: 25ms}
                faults:
                  - {type: latency-spike, start: 1s, duration: 2s, percent: 50}
                """;

        assertThatThrownBy(() -> TargetConfig.parse(yaml, "t.yaml"))
                .hasMessageContaining("line 4")
                .hasMessageContaining("faults[0]: percent does not apply to a latency-spike");
    }

    @Test
    void shouldNameTheAcceptedFaultTypes() {
        String yaml =
                """
                endpoints:
                  - {name: home, median: 5ms, p99: 25ms}
                faults:
                  - {type: spike, start: 1s, duration: 2s, factor: 2}
                """;

        assertThatThrownBy(() -> TargetConfig.parse(yaml, "t.yaml"))
                .hasMessageStartingWith("t.yaml, line 4, column ")
                .hasMessageContaining("faults[0].type: 'spike'")
                .hasMessageContaining("latency-spike");
    }

    @Test
    void shouldRejectEndpointsThatShareANameOrPath() {
        String names =
                """
                endpoints:
                  - {name: home, median: 5ms, p99: 25ms}
                  - {name: home, median: 5ms, p99: 25ms, path: /other}
                """;
        String paths =
                """
                endpoints:
                  - {name: home, median: 5ms, p99: 25ms}
                  - {name: other, median: 5ms, p99: 25ms, path: /home}
                """;

        assertThatThrownBy(() -> TargetConfig.parse(names, "t.yaml"))
                .hasMessage("t.yaml, line 3, column 5: endpoints[1].name: 'home' is given twice");
        assertThatThrownBy(() -> TargetConfig.parse(paths, "t.yaml"))
                .hasMessageContaining("line 3")
                .hasMessageContaining("endpoints[1].path: '/home' is taken");
    }

    @Test
    void shouldRejectAFileWithoutEndpoints() {
        assertThatThrownBy(() -> TargetConfig.parse("faults: []\n", "t.yaml"))
                .hasMessageContaining("t.yaml")
                .hasMessageContaining("endpoints: a target needs at least one endpoint");
        assertThatThrownBy(() -> TargetConfig.parse("", "t.yaml"))
                .hasMessageStartingWith("t.yaml: ");
    }

    @Test
    void shouldNameAFileItCannotRead() {
        assertThatThrownBy(() -> TargetConfig.load(Path.of("no-such-target.yaml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target file no-such-target.yaml does not exist");
    }
}
